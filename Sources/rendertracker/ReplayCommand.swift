import ArgumentParser
import LuaPlugins
import RenderReplay
import RenderLog
import RenderTrackerClient
import RPC

struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Send a render log's calls again, into an in-process tracker in virtual time or to a live one.",
        discussion: """
            Calls keep their recorded timing. In-process (the default) a 10-hour render replays in seconds: \
            the tracker's clock is set to each call's time, divided by --speed about the first call. With --url \
            the calls go to a running tracker over XML-RPC, waiting between them (divided by --speed; none with \
            --fast); it refuses a tracker that already has a project the log names unless --replace, and stops \
            after the first call if the tracker records to the log being replayed. A summary follows: projects, frames per status, the estimate at each quarter of progress, \
            faults. A damaged line stops the replay (FILE:LINE: reason, exit 1) unless --skip-bad.
            """
    )

    @Argument(help: "The render log (serve --record FILE).")
    var file: String

    @Option(help: "Replay this many times faster than recorded (> 0).")
    var speed: Double?

    @Flag(help: "No waits between calls (in-process replays never wait).")
    var fast = false

    @Option(help: "Send the calls to the tracker at this URL (e.g. http://127.0.0.1:5002/RPC2) instead of an in-process one.")
    var url: String?

    /// Not `$RENDERTRACKER_URL` alone: the variable is often set for HQueue's scripts, and a replay
    /// that went to the studio's daemon because of it would write into the live tracker unasked.
    @Flag(help: "Send the calls to the tracker at $RENDERTRACKER_URL (else \(TrackerURLOption.defaultURL)); --url names another.")
    var live = false

    /// The live tracker's address, or nil for an in-process replay.
    private var liveURL: String? {
        url ?? (live ? TrackerURLOption.environmentURL ?? TrackerURLOption.defaultURL : nil)
    }

    @Flag(help: "With --url or --live: replay even when the tracker already has projects the log names (they are changed or replaced).")
    var replace = false

    @Option(help: "In-process: load the Lua plugins of this folder; notifications are counted, not sent.")
    var plugins: String?

    @Flag(help: "Print the summary as JSON.")
    var json = false

    @Flag(help: "Skip damaged lines with a warning instead of stopping.")
    var skipBad = false

    func validate() throws {
        if let speed {
            guard speed > 0, speed.isFinite else { throw ValidationError("--speed must be a number above 0, got \(speed)") }
            guard !fast else { throw ValidationError("--speed and --fast cannot be used together") }
        }
        guard plugins == nil || liveURL == nil else {
            throw ValidationError("--plugins loads plugins into an in-process tracker; a live tracker (--url, --live) runs its own")
        }
    }

    func run() async throws {
        let options = ReplayOptions(speed: speed ?? 1, fast: fast, skipBad: skipBad, pluginFolder: plugins, replace: replace)
        let warn = { (problem: RenderLogError) in printToStandardError("warning: \(problem)") }
        let summary: ReplaySummary
        do {
            if let url = liveURL {
                summary = try await Replay.live(path: file, url: url, options: options, warn: warn)
            } else {
                summary = try await Replay.inProcess(path: file, options: options, warn: warn)
            }
        } catch let error as RenderLogError {
            printToStandardError("\(error)")
            throw ExitCode.failure
        } catch let refusal as ReplayRefusal {
            printToStandardError("rendertracker replay: \(refusal)")
            throw ExitCode.failure
        } catch let error as PluginReloadError {
            printToStandardError("rendertracker replay: plugins: \(error)")
            throw ExitCode.failure
        } catch let error as TrackerClientError {
            printToStandardError("rendertracker replay: \(error)")
            throw ExitCode(2)
        }
        print(json ? JSONWriter.string(summary.json) : summary.text)
    }
}
