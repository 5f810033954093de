import ArgumentParser

struct PluginsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plugins",
        abstract: "Check a folder of Lua plugins, or reload a running daemon's plugins.",
        subcommands: [PluginsCheckCommand.self, PluginsReloadCommand.self]
    )
}
