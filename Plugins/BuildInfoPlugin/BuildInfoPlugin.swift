import Foundation
import PackagePlugin

/// Writes `BuildInfo+generated.swift` (the version and commit `rendertracker --version` prints)
/// from `git describe` before every build of the `BuildInfo` target.
///
/// Why a build-tool plugin: SwiftPM has no other build-time code generation, and a file written by
/// the Makefile would be missing (or stale) after a plain `swift build` or `swift test` from a fresh
/// clone. Why a prebuild command running `/bin/sh`: git is a program of the system, not of this
/// package, which is what prebuild commands are for, and they run on every build, so a new commit or
/// tag is seen without a clean build. The script rewrites the file only when its text changes, so an
/// unchanged tree recompiles nothing. Outside a git checkout (a tarball without `.git`), or without
/// git, both values are "unknown".
@main
struct BuildInfoPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
        let output = context.pluginWorkDirectoryURL.appending(path: "BuildInfo+generated.swift")
        return [
            .prebuildCommand(
                displayName: "BuildInfo: version and commit from git describe",
                executable: URL(filePath: "/bin/sh"),
                arguments: ["-c", Self.script, "build-info", context.package.directoryURL.path(), output.path()],
                outputFilesDirectory: context.pluginWorkDirectoryURL
            )
        ]
    }

    /// `$1` the package folder, `$2` the file to write. Only `[A-Za-z0-9._+-]` is kept of git's
    /// answers, so the Swift literal needs no escaping. `git -C` runs only where `.git` exists: a
    /// tarball unpacked inside another checkout must not take that checkout's version.
    static let script = """
        version=unknown; commit=unknown
        if [ -e "$1/.git" ] && command -v git >/dev/null 2>&1; then
          version=$(git -C "$1" describe --tags --always --dirty 2>/dev/null | sed 's/^v//' | tr -cd 'A-Za-z0-9._+-')
          commit=$(git -C "$1" rev-parse --short=12 HEAD 2>/dev/null | tr -cd '0-9a-f')
          [ -n "$version" ] || version=unknown; [ -n "$commit" ] || commit=unknown
        fi
        text="let generatedVersion = \\"$version\\"
        let generatedCommit = \\"$commit\\""
        [ -f "$2" ] && [ "$(cat "$2")" = "$text" ] || printf '%s\\n' "$text" > "$2"
        """
}
