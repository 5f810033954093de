import Testing
@testable import RenderTracker

@Suite("FailureCause: the cause of a failure from an error message")
struct FailureCauseTests {
    /// 16 KB of mantra tile progress, as a failed frame sends it.
    static func mantraProgress(bytes: Int = 16 * 1024) -> String {
        var lines: [String] = ["mantra: Loading /tmp/houdini_temp/shot_v013.1187.ifd", "mantra: Render mode: micropolygon"]
        var tile = 0
        while lines.joined(separator: "\n").utf8.count < bytes {
            tile += 1
            lines.append("ALF_PROGRESS \(tile % 100)%  [tile \(tile) of 480, 0 errors, 2 warnings] 12.3s elapsed")
        }
        return lines.joined(separator: "\n")
    }

    @Test("mantra: the Error line after 16 KB of tile progress")
    func mantra() {
        let message = Self.mantraProgress() + "\nmantra: Error: cannot allocate 12.6 GB for texture cache (8.0 GB free)\n"
        #expect(FailureCause.of(message) == "mantra: Error: cannot allocate 12.6 GB for texture cache (8.0 GB free)")
    }

    @Test("mantra: a marked line beats the wrapper's closing line and warnings after it")
    func markedBeatsWrapper() {
        let message = """
            mantra: Warning: texture /tex/bark.rat is not mip-mapped
            mantra: Fatal error: Unable to open geometry file /geo/tree.bgeo.sc
            mantra: Warning: 3 shaders could not be found, using defaults
            Render failed (exit code 1)
            """
        #expect(FailureCause.of(message) == "mantra: Fatal error: Unable to open geometry file /geo/tree.bgeo.sc")
    }

    @Test("karma: a worded line (no severity word) is the cause when nothing is marked")
    func karmaWorded() {
        let message = """
            [12:00:00] KarmaXPU: Device Type: OptiX (NVIDIA RTX A6000)
            [12:00:01] KarmaXPU: Optix device 0 failed to allocate 8.2 GB, 1.1 GB left
            [12:00:01] karma: render stopped
            """
        #expect(FailureCause.of(message) == "[12:00:01] KarmaXPU: Optix device 0 failed to allocate 8.2 GB, 1.1 GB left")
    }

    @Test("husk: an upper-case ERROR among log levels")
    func husk() {
        let message = """
            husk: [INFO] Loading stage /shots/sh010/lighting_v004.usd
            husk: [ERROR] Failed to open layer @/shots/sh010/anim_v012.usd@
            husk: [INFO] Rendered 0 of 1 frames
            """
        #expect(FailureCause.of(message) == "husk: [ERROR] Failed to open layer @/shots/sh010/anim_v012.usd@")
    }

    @Test("a Python traceback: its exception line, not the source lines with raise ...Error(...)")
    func pythonTraceback() {
        let message = """
            Traceback (most recent call last):
              File "/opt/hfs20.5/houdini/python3.11libs/hrender.py", line 212, in <module>
                raise RuntimeError("render failed: " + str(error))
              File "/studio/pipeline/publish.py", line 40, in publish
                hou.node("/out/mantra1").render(frame_range=(1187, 1187))
            hou.OperationFailed: The attempted operation failed.
            Error: Unable to load /studio/otls/crowd_agent.hda (permission denied)
            """
        #expect(FailureCause.of(message) == "Error: Unable to load /studio/otls/crowd_agent.hda (permission denied)")
        let plain = """
            Traceback (most recent call last):
              File "render.py", line 3, in <module>
                open("/renders/missing/dir/out.exr", "wb")
            FileNotFoundError: [Errno 2] No such file or directory: '/renders/missing/dir/out.exr'
            """
        #expect(FailureCause.of(plain) == "FileNotFoundError: [Errno 2] No such file or directory: '/renders/missing/dir/out.exr'")
    }

    @Test("Houdini's Error: with the detail on the next line takes both; aligned spaces collapse")
    func continuation() {
        let message = "Error:       The following errors occurred while cooking:\n    Unable to read file \"/geo/a.bgeo\".\nDone."
        #expect(FailureCause.of(message) == "Error: The following errors occurred while cooking: Unable to read file \"/geo/a.bgeo\".")
    }

    @Test("counts of nothing do not read as errors", arguments: [
        "Render stats: 0 errors, 2 warnings", "Finished with no errors", "Errors: 0", "failures = 0", "frames: 12 done, 0 failed",
    ])
    func countsOfNothing(_ line: String) {
        #expect(FailureCause.rank(line) == .plain)
        #expect(FailureCause.of("hython: Killed\n\(line)") == "hython: Killed")
    }

    @Test("case-aware: Error and error: are marked, prose error only worded, error_limit nothing")
    func caseAware() {
        #expect(FailureCause.rank("vray: error: license server 10.0.0.5 unreachable") == .marked)
        #expect(FailureCause.rank("[arnold] 00:00:03 2210MB ERROR | [texturesys] missing tile") == .marked)
        #expect(FailureCause.rank("an error occurred while writing deep samples") == .worded)
        #expect(FailureCause.rank("setting error_limit=500 from the environment") == .plain)
        #expect(FailureCause.rank("mantra: Warning: cannot find /tex/a.rat, using black") == .plain)
        #expect(FailureCause.rank("/bin/sh: line 1: 4242 Segmentation fault (core dumped) mantra -f x.ifd") == .marked)
        #expect(FailureCause.rank("R90001 {SEVERE} prman: out of memory") == .marked)
    }

    @Test("with nothing error-like, the last non-empty line; with no text at all, nil")
    func fallback() {
        #expect(FailureCause.of("mantra: rendering tile 12 of 480\nmantra: rendering tile 13 of 480\n\n  \n") == "mantra: rendering tile 13 of 480")
        #expect(FailureCause.of("") == nil)
        #expect(FailureCause.of(" \n\r\n\t") == nil)
        #expect(FailureCause.of("exit 137") == "exit 137")
    }

    @Test("the tracker's own clipping note and colour codes are not the cause")
    func clippingNoteAndColours() {
        // A 70 KB message clipped to head and tail: an error in the kept head is still found.
        let clipped = ("mantra: Error: disk quota exceeded on /renders\n" + Self.mantraProgress(bytes: 70_000)).clipped(toBytes: 4096)
        #expect(FailureCause.of(clipped) == "mantra: Error: disk quota exceeded on /renders")
        let coloured = "\u{1B}[31mERROR\u{1B}[0m: GPU 0 lost (Xid 79)\nshutting down"
        #expect(FailureCause.of(coloured) == "ERROR: GPU 0 lost (Xid 79)")
    }

    @Test("bounded to maxBytes, cut at a character")
    func bounded() {
        let long = "Error: " + String(repeating: "é", count: 1000)
        let cause = FailureCause.of(long) ?? ""
        #expect(cause.utf8.count <= FailureCause.maxBytes && cause.hasSuffix("\u{2026}") && cause.hasPrefix("Error: é"))
    }
}
