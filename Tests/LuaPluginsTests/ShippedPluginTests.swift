import Foundation
import Logging
@testable import LuaPlugins
import RenderTracker
import Synchronization
import Testing
@testable import LuaHost

/// The ready-made plugins in the repository's `plugins/` folder, run by the real engine on renders
/// played through the model, with notifications captured and time on a manual clock.
// Serialized for the same reason as LuaSandboxTests.
@Suite(.serialized) struct ShippedPluginTests {
    // MARK: shot-naming.lua

    @Test(arguments: [
        ("artist", "/studio/shows/demo/shots/sh010/work/artist/demo_sh010_lighting_v003.hip", "demo_sh010_artist"),
        ("ana", #"S:\shows\bigfilm\shots\sq20_sh0040\houdini\fx_v012.hipnc"#, "bigfilm_sq20_sh0040_ana"),
        ("ana", "/studio//shows/demo/shots/sh020//work/ana/x.hip", "demo_sh020_ana"),
        ("o\"neil", "/studio/shows/my\"show/shots/sh030/a.hip", "my'show_sh030_o'neil"),
    ])
    func shotNamingNamesProjectsFromTheShotLayout(user: String, path: String, expected: String) throws {
        let plugins = try ShippedPlugins(["shot-naming.lua"])
        #expect(try plugins.name(user: user, path: path) == expected)
    }

    @Test(arguments: [
        ("bob", "/home/bob/tests/explosion_v002.hip"),
        ("bob", #"C:\Users\bob\scene.HIPLC"#),
        ("bob", "/studio/shows/demo/assets/tree/tree_v001.hip"),
        ("bob", "/studio/shows/demo/shots/sh010"),
        ("bob", "/tmp/.hip"),
        ("", ""),
        ("q\"uote", "/x/\"quoted\".hip"),
    ])
    func shotNamingFallsBackToTheBuiltInNameOutsideTheLayout(user: String, path: String) throws {
        let plugins = try ShippedPlugins(["shot-naming.lua"])
        let name = try plugins.name(user: user, path: path)
        #expect(name == BuiltInProjectNameFormula().projectName(user: user, localHipPath: path))
        #expect(!name.isEmpty && !name.contains("\""))
    }

    @Test func shotNamingFollowsItsSettings() throws {
        let plugins = try ShippedPlugins(["shot-naming.lua"], settings: ["shot-naming.conf": """
            # /jobs/<show>/<sequence>/<any department>/<shot>/
            pattern = /jobs/{show}/{seq}/*/{shot}/
            format = {show}-{seq}-{shot}-{hip}
            fallback = unsorted/{user}/{hip}
            ignore_case = yes
            """])
        #expect(try plugins.name(user: "ana", path: "/mnt/JOBS/Film/SQ01/lighting/SH010/light_v001.hip") == "Film-SQ01-SH010-light_v001")
        #expect(try plugins.name(user: "ana", path: "/mnt/jobs/Film/SQ01/SH010/light_v001.hip") == "unsorted/ana/light_v001")
    }

    @Test(arguments: [
        "", "\n", "\"", "a\"b\u{7}c\nd", String(repeating: "/", count: 200), "/shows/\"/shots/\n/x.hip", String(repeating: "ü", count: 300),
    ])
    func shotNamingAnswersShortNamesNeverEmptyNeverQuoted(odd: String) throws {
        let plugins = try ShippedPlugins(["shot-naming.lua"], settings: ["shot-naming.conf": "fallback = {hip}\n"])
        for (user, path) in [(odd, odd), ("ana", odd), (odd, "/studio/shows/s/shots/t/x.hip")] {
            let name = try plugins.name(user: user, path: path)
            #expect(!name.isEmpty)
            #expect(!name.unicodeScalars.contains { $0 == "\"" || $0.value < 32 || $0.value == 127 }, "\(name.debugDescription)")
            #expect(name.utf8.count <= 255 && !name.contains("\u{FFFD}"), "cut to 255 bytes between characters: \(name)")
        }
    }

    // MARK: webhook-notify.lua

    @Test(arguments: WebhookFormat.allCases)
    func webhookPostsDoneAndFailedRendersInEachFormat(format: WebhookFormat) async throws {
        let plugins = try ShippedPlugins(["webhook-notify.lua"], settings: ["webhook-notify.conf": """
            url = https://hooks.example.com/render
            format = \(format.rawValue)
            authorization = Bearer s3cret
            """])
        var farm = Farm(plugins)
        farm.renderDone()
        farm.renderFailed()
        try await plugins.hooksRan()

        let posts = plugins.posts(from: "webhook-notify.lua")
        try #require(posts.count == 2)
        for post in posts {
            #expect(post.url == "https://hooks.example.com/render")
            #expect(post.headers == ["Content-Type": "application/json", "Authorization": "Bearer s3cret"])
        }
        let done = try JSONObject(parsing: posts[0].body)
        let failed = try JSONObject(parsing: posts[1].body)
        let doneText = format.text(of: done)
        let failedText = format.text(of: failed)
        #expect(doneText.contains("Render done: artist/sh010_light_v003"))
        #expect(failedText.contains("Render failed: artist/sh020_fx_v007"))
        #expect(doneText.contains("2001") && failedText.contains("2002"), "job ids")
        #expect(!doneText.contains("error"), "a finished render quotes no error")

        switch format {
        case .slack, .discord, .generic:
            #expect(doneText.contains("3 of 3 frames done in 4m 30s"))
            #expect(failedText.contains("1 done, 2 failed of 3 frames after 2m 00s"))
        case .teams:
            #expect(doneText.contains("3 done, 0 failed, 3 total") && doneText.contains("4m 30s"))
            #expect(failedText.contains("1 done, 2 failed, 3 total") && failedText.contains("2m 00s"))
        }
        #expect(failedText.contains("Cause (frame 2)"))
        // The chat formats show the cause, not the renderer's output (generic also sends first_error).
        #expect(format == .generic || !failedText.contains("ALF_PROGRESS"), "\(failedText)")

        // The cause of the first error arrives intact whatever the format did to carry it.
        switch format {
        case .slack:
            #expect(failed["text"]?.string?.contains("```" + Farm.awkwardCause + "```") == true)
        case .teams:
            let blocks = failed["attachments"]?[0]?["content"]?["body"]?.array ?? []
            #expect(blocks.contains { $0["text"]?.string == Farm.awkwardCause })
        case .discord:
            let field = failed["embeds"]?[0]?["fields"]?[0]?["value"]?.string
            #expect(field.map(discordUnescaped) == Farm.awkwardCause)
            #expect(failed["allowed_mentions"]?["parse"]?.array?.isEmpty == true, "@everyone in the error must not ping")
        case .generic:
            #expect(done["event"]?.string == "project_done" && failed["event"]?.string == "project_failed")
            #expect(done["done"]?.int == 3 && done["failed"]?.int == 0 && done["frame_count"]?.int == 3)
            #expect(failed["done"]?.int == 1 && failed["failed"]?.int == 2 && failed["frame_count"]?.int == 3)
            #expect(done["elapsed_seconds"]?.double == 270 && done["elapsed"]?.string == "4m 30s")
            #expect(failed["counts"]?["Error"]?.int == 2 && failed["counts"]?["Waiting"]?.int == 0)
            #expect(failed["first_error"]?.string == Farm.awkwardError)
            #expect(failed["cause"]?.string == Farm.awkwardCause)
            #expect(failed["first_error_frame"]?.int == 2)
            #expect(done["first_error"] == nil)
        }
    }

    @Test(arguments: [
        ("https://hooks.slack.com/services/T0/B0/X", "text"),
        ("https://discord.com/api/webhooks/1/abc", "embeds"),
        ("https://studio.webhook.office.com/webhookb2/abc", "attachments"),
        ("https://prod-12.westeurope.logic.azure.com:443/workflows/abc", "attachments"),
        ("http://pipeline.studio.example:8080/hooks/render", "event"),
        ("https://notslack.com.example.net/x", "event"),
    ])
    func webhookGuessesTheFormatFromTheURL(url: String, telltaleKey: String) async throws {
        let plugins = try ShippedPlugins(["webhook-notify.lua"], settings: ["webhook-notify.conf": "url = \(url)\n"])
        var farm = Farm(plugins)
        farm.renderDone()
        try await plugins.hooksRan()
        let post = try #require(plugins.posts(from: "webhook-notify.lua").first)
        #expect(try JSONObject(parsing: post.body)[telltaleKey] != nil, "\(post.body)")
    }

    @Test func webhookMentionsOnFailureOnlyAndEscapesChatMarkup() async throws {
        let plugins = try ShippedPlugins(["webhook-notify.lua"], settings: ["webhook-notify.conf": """
            url = https://hooks.slack.com/services/T0/B0/X
            mention = <!here>
            label = farm-north
            """])
        var farm = Farm(plugins)
        farm.renderDone()
        farm.renderFailed(error: "texture <missing> & <!channel>")
        try await plugins.hooksRan()
        let posts = plugins.posts(from: "webhook-notify.lua")
        try #require(posts.count == 2)
        let done = try #require(try JSONObject(parsing: posts[0].body)["text"]?.string)
        let failed = try #require(try JSONObject(parsing: posts[1].body)["text"]?.string)
        #expect(done.hasPrefix("*[farm-north] Render done:"))
        #expect(!done.contains("<!here>"))
        #expect(failed.hasPrefix("<!here> *[farm-north] Render failed:"))
        #expect(failed.contains("texture &lt;missing&gt; &amp; &lt;!channel&gt;"))
        #expect(!failed.contains("<!channel>"), "text from the farm must not ping the channel")
    }

    @Test func webhookDiscordPingsOnlyTheConfiguredMention() async throws {
        let plugins = try ShippedPlugins(["webhook-notify.lua"], settings: ["webhook-notify.conf": """
            url = https://discord.com/api/webhooks/1/abc
            mention = <@&4242>
            """])
        var farm = Farm(plugins)
        farm.renderDone()
        farm.renderFailed()
        try await plugins.hooksRan()
        let posts = plugins.posts(from: "webhook-notify.lua")
        try #require(posts.count == 2)
        let done = try JSONObject(parsing: posts[0].body), failed = try JSONObject(parsing: posts[1].body)
        #expect(done["content"]?.string == "" && done["allowed_mentions"]?["parse"]?.array?.isEmpty == true)
        #expect(failed["content"]?.string == "<@&4242>")
        #expect(failed["allowed_mentions"]?["parse"]?.array?.count == 3)
        #expect(failed["embeds"]?[0]?["color"]?.int == 0xE01E5A && done["embeds"]?[0]?["color"]?.int == 0x2EB67D)
    }

    @Test func webhookClipsALongErrorAtACharacterBoundary() async throws {
        let plugins = try ShippedPlugins(["webhook-notify.lua"], settings: ["webhook-notify.conf": "url = http://hooks.local/x\nformat = generic\n"])
        var farm = Farm(plugins)
        // 2-byte characters: a cut at 497 bytes would land inside one.
        farm.renderFailed(error: String(repeating: "é", count: 30_000))
        try await plugins.hooksRan()
        let post = try #require(plugins.posts(from: "webhook-notify.lua").first)
        let error = try #require(try JSONObject(parsing: post.body)["first_error"]?.string)
        #expect(error.utf8.count <= 500 && error.utf8.count > 450)
        #expect(error.hasPrefix("éé") && error.hasSuffix("é…"))
        #expect(!error.contains("\u{FFFD}"), "no character was cut in two")
    }

    @Test func webhookPostsOnlyTheChosenEvents() async throws {
        let plugins = try ShippedPlugins(["webhook-notify.lua"], settings: ["webhook-notify.conf": "url = http://hooks.local/x\nevents = project_failed\n"])
        #expect(plugins.engine.registrations.first?.events == ["project_failed", "project_removed"])
        var farm = Farm(plugins)
        farm.renderDone()
        farm.renderFailed()
        try await plugins.hooksRan()
        let posts = plugins.posts(from: "webhook-notify.lua")
        #expect(posts.count == 1)
        #expect(posts.first.map { $0.body.contains("Render failed") } == true)
    }

    @Test func webhookWithoutAURLWarnsAtLoadAndDoesNothing() async throws {
        let plugins = try ShippedPlugins(["webhook-notify.lua"])
        #expect(plugins.engine.registrations.first?.events == [])
        let warnings = plugins.log.messages(at: .warning)
        #expect(!warnings.isEmpty)
        #expect(warnings.allSatisfy { $0.contains("no url setting") })
        var farm = Farm(plugins)
        farm.renderDone()
        farm.renderFailed()
        try await plugins.hooksRan()
        #expect(plugins.effects.notifications.isEmpty)
    }

    @Test func aRenderIsAnnouncedOncePerOutcomeWhenItsLastFrameDownloadsAfterRendering() async throws {
        let plugins = try ShippedPlugins(["mail-notify.lua", "webhook-notify.lua"], settings: [
            "mail-notify.conf": "to = leads@studio.example\n", "webhook-notify.conf": "url = http://hooks.local/x\nformat = generic\n",
        ])
        var farm = Farm(plugins)
        let project = "ana/sh030_comp_v002"
        func render() {
            farm.apply(.startedRenderProject(project: project, frames: [1, 2], generatesIFDs: false, jobID: "5000"))
            for frame in [1, 2] {
                farm.apply(.startedFrameRender(project: project, frame: frame, jobID: "500\(frame)", imagePath: "/r/\(frame).exr"))
                farm.advance(seconds: 60)
                farm.apply(.setFrameRenderFraction(project: project, frame: frame, fraction: 1))
            }
            // The last frame's output is downloaded after it rendered: Done, Downloading, Done.
            farm.apply(.setFrameDownloadFraction(project: project, frame: 2, fraction: 0.5))
            farm.advance(seconds: 10)
            farm.apply(.setFrameDownloadFraction(project: project, frame: 2, fraction: 1))
        }
        render()
        try await plugins.hooksRan()
        #expect(farm.fired.filter { $0 == .projectDone }.count == 2, "the model reports the project done twice")
        #expect(plugins.posts(from: "webhook-notify.lua").count == 1)
        #expect(plugins.runs(from: "mail-notify.lua").count == 1)

        // A re-render of the same name is a new render, announced again.
        farm.advance(seconds: 60)
        render()
        try await plugins.hooksRan()
        #expect(plugins.posts(from: "webhook-notify.lua").count == 2)
        #expect(plugins.runs(from: "mail-notify.lua").count == 2)
    }

    // MARK: mail-notify.lua

    @Test func mailNotifyMailsDoneAndFailedRendersThroughSendmail() async throws {
        let plugins = try ShippedPlugins(["mail-notify.lua"], settings: ["mail-notify.conf": """
            to = leads@studio.example, wranglers@studio.example
            from = Render farm <farm@studio.example>
            sendmail = /opt/mail/bin/sendmail
            subject_prefix = [farm-north]
            """])
        var farm = Farm(plugins)
        farm.renderDone()
        farm.renderFailed()
        try await plugins.hooksRan()
        let runs = plugins.runs(from: "mail-notify.lua")
        try #require(runs.count == 2)
        #expect(runs.allSatisfy { $0.arguments == ["/opt/mail/bin/sendmail", "-t", "-oi"] })
        let done = try Mail(try #require(runs[0].input)), failed = try Mail(try #require(runs[1].input))
        for mail in [done, failed] {
            #expect(mail.header("To") == "leads@studio.example, wranglers@studio.example")
            #expect(mail.header("From") == "Render farm <farm@studio.example>")
            #expect(mail.header("Content-Type") == "text/plain; charset=UTF-8")
            #expect(mail.header("Auto-Submitted") == "auto-generated")
        }
        #expect(done.header("Subject") == "[farm-north] done: artist/sh010_light_v003 (3/3 frames, 4m 30s)")
        #expect(failed.header("Subject") == "[farm-north] FAILED: artist/sh020_fx_v007 (2 of 3 frames failed)")
        #expect(done.body.contains("Render done: artist/sh010_light_v003"))
        #expect(done.body.contains("Job id:   2001"))
        #expect(done.body.contains("Frames:   3 done, 0 failed, 3 total"))
        #expect(done.body.contains("Elapsed:  4m 30s"))
        #expect(!done.body.contains("error"))
        #expect(failed.body.contains("Frames:   1 done, 2 failed, 3 total"))
        #expect(failed.body.contains("Cause (frame 2):\n  mantra: Error: can't open \"C:\\tex\\wall.rat\"   — café 🎬 @everyone\n"))
        #expect(failed.body.contains("First error (frame 2), as the farm sent it:\n  mantra: Loading \"C:\\scenes\\wall.ifd\"\n  ALF_PROGRESS 40%\n  \tat line 2"))
        #expect(failed.body.contains("café 🎬"))
    }

    @Test func mailHeadersCannotBeInjectedAndNonASCIIIsEncoded() async throws {
        let plugins = try ShippedPlugins(["mail-notify.lua"], settings: ["mail-notify.conf": "to = leads@studio.example\n"])
        var farm = Farm(plugins)
        let project = "ana/evil\nBcc: everyone@studio.example\r\nX: y é " + String(repeating: "ü", count: 40)
        farm.renderDone(project: project, frames: 1)
        try await plugins.hooksRan()
        let run = try #require(plugins.runs(from: "mail-notify.lua").first)
        #expect(run.arguments == ["/usr/sbin/sendmail", "-t", "-oi"])
        let mail = try Mail(try #require(run.input))
        #expect(mail.header("Bcc") == nil && mail.header("X") == nil, "a project name must not add headers")
        #expect(mail.header("From") == nil, "without a from setting the mail system fills it in")
        let subject = try #require(mail.header("Subject"))
        #expect(subject.hasPrefix("=?UTF-8?B?"))
        #expect(decodeEncodedWords(subject) == "[render] done: ana/evil Bcc: everyone@studio.example X: y é \(String(repeating: "ü", count: 40)) (1/1 frames, 1m 30s)")
        #expect(decodeEncodedWords(try #require(mail.header("X-Rendertracker-Project"))).hasPrefix("ana/evil Bcc:"))
        #expect(mail.headerLines.allSatisfy { !$0.contains("=?") || $0.count <= 76 }, "encoded header lines are folded")
    }

    @Test func mailWithoutRecipientsWarnsAtLoadAndSendsNothing() async throws {
        let plugins = try ShippedPlugins(["mail-notify.lua"])
        #expect(plugins.engine.registrations.first?.events == [])
        #expect(plugins.log.messages(at: .warning).contains { $0.contains("no to setting") })
        var farm = Farm(plugins)
        farm.renderFailed()
        try await plugins.hooksRan()
        #expect(plugins.effects.notifications.isEmpty)
    }

    // MARK: stall-alert.lua

    @Test func stallAlertsAreRateLimitedPerProject() async throws {
        let plugins = try ShippedPlugins(["stall-alert.lua"], settings: ["stall-alert.conf": """
            url = http://hooks.local/stalls
            format = generic
            every_minutes = 30
            """])
        var farm = Farm(plugins)
        let a = "ana/sh010_light_v003", b = "bob/sh020_fx_v001"
        farm.apply(.startedRenderProject(project: a, frames: Array(1...10), generatesIFDs: false, jobID: "3000"))
        farm.apply(.startedRenderProject(project: b, frames: [1], generatesIFDs: false, jobID: "3100"))
        for frame in 1...3 {
            farm.apply(.startedFrameRender(project: a, frame: frame, jobID: "300\(frame)", imagePath: "/r/a.\(frame).exr"))
            farm.apply(.setFrameRenderFraction(project: a, frame: frame, fraction: 0.25))
        }
        farm.apply(.startedFrameRender(project: b, frame: 1, jobID: "3101", imagePath: "/r/b.1.exr"))

        // Minute 16: four frames stalled in two projects: one alert each (the scan finds the most
        // recently changed frame first), the other two of A held back.
        farm.advance(minutes: 16)
        #expect(farm.lookForStalls() == 4)
        try await plugins.hooksRan()
        var alerts = try plugins.posts(from: "stall-alert.lua").map { try JSONObject(parsing: $0.body) }
        try #require(alerts.count == 2)
        #expect(Set(alerts.compactMap { $0["project"]?.string }) == [a, b])
        let first = try #require(alerts.first { $0["project"]?.string == a })
        #expect(first["frame"]?.int == 3 && first["job_id"]?.string == "3003" && first["stalled_minutes"]?.int == 16)
        #expect(first["held_back"]?.int == 0)
        #expect(first["text"]?.string == "Stalled frame: \(a): Frame 3 (job 3003) has reported no progress for 16m 00s (at 25%).")

        // Minute 42: another of A's frames stalls, 26 minutes after A's alert: held back.
        farm.advance(minutes: 10)
        farm.apply(.startedFrameRender(project: a, frame: 4, jobID: "3004", imagePath: "/r/a.4.exr"))
        farm.advance(minutes: 16)
        #expect(farm.lookForStalls() == 1)
        try await plugins.hooksRan()
        #expect(plugins.posts(from: "stall-alert.lua").count == 2)

        // Minute 66: 50 minutes after A's alert, the next stall is told, with the three held back.
        farm.apply(.startedFrameRender(project: a, frame: 5, jobID: "3005", imagePath: "/r/a.5.exr"))
        farm.advance(minutes: 8)
        farm.apply(.setFrameRenderFraction(project: a, frame: 5, fraction: 0.5))
        farm.advance(minutes: 16)
        #expect(farm.lookForStalls() == 1)
        try await plugins.hooksRan()
        alerts = try plugins.posts(from: "stall-alert.lua").map { try JSONObject(parsing: $0.body) }
        try #require(alerts.count == 3)
        #expect(alerts[2]["frame"]?.int == 5 && alerts[2]["held_back"]?.int == 3)
        #expect(alerts[2]["text"]?.string?.contains("3 more stalled frames of this project were held back") == true)
    }

    @Test func stallAlertsGoToTheLogWithoutAURL() async throws {
        let plugins = try ShippedPlugins(["stall-alert.lua"], settings: ["stall-alert.conf": "every_minutes = 5\n"])
        var farm = Farm(plugins)
        farm.apply(.startedRenderProject(project: "ana/x", frames: [7, 8], generatesIFDs: false, jobID: "41"))
        farm.apply(.startedFrameRender(project: "ana/x", frame: 7, jobID: "47", imagePath: "/r/x.7.exr"))
        farm.apply(.startedFrameRender(project: "ana/x", frame: 8, jobID: "48", imagePath: "/r/x.8.exr"))
        farm.advance(minutes: 20)
        #expect(farm.lookForStalls() == 2)
        try await plugins.hooksRan()
        #expect(plugins.effects.notifications.isEmpty)
        let warnings = plugins.log.messages(at: .warning).filter { $0.hasPrefix("stall-alert:") }
        #expect(warnings == ["stall-alert: Stalled frame: ana/x: Frame 8 (job 48) has reported no progress for 20m 00s (at 0%)."])
    }

    // MARK: eta-throughput.lua

    @Test func theEstimatorAnswersNilWithoutEvidence() throws {
        let plugins = try ShippedPlugins(["eta-throughput.lua"])
        var farm = Farm(plugins)
        farm.apply(.startedRenderProject(project: "p", frames: Array(1...100), generatesIFDs: false, jobID: "1"))
        #expect(try plugins.estimate(farm.snapshot("p")) == nil, "nothing rendered yet")
        farm.apply(.startedFrameRender(project: "p", frame: 1, jobID: "2", imagePath: "/r/p.1.exr"))
        farm.advance(minutes: 1)
        farm.apply(.setFrameRenderFraction(project: "p", frame: 1, fraction: 0.05))
        #expect(farm.tracker.estimatedSecondsLeft(for: "p") == nil)
        #expect(try plugins.estimate(farm.snapshot("p")) == nil, "one frame 5% along says nothing yet")
    }

    @Test func theEstimatorBlendsWithTheBuiltInByItsWeight() throws {
        // Ten machines, 100-second frames: 32 rendered, ten halfway, three queued. The plugin's own
        // estimate plays the waves out (150 s); the built-in's comes in the snapshot. Weight 0 is
        // the plugin's own alone, weight 1 the built-in's alone, auto in between.
        var answers: [String: Double] = [:]
        var builtIn = 0.0
        for weight in ["0", "1", "0.5", "auto"] {
            let plugins = try ShippedPlugins(["eta-throughput.lua"], settings: ["eta-throughput.conf": "builtin_weight = \(weight)\n"])
            var farm = Farm(plugins)
            farm.renderInWaves("p", frames: 45, machines: 8, finish: 32, secondsPerFrame: 100)
            farm.render("p", frames: 33...42, for: 50, reaching: 0.5)
            let snapshot = farm.snapshot("p")
            builtIn = try #require(snapshot["builtin"].doubleValue)
            let answer = try #require(try plugins.estimate(snapshot))
            answers[weight] = answer
            // The daemon's path gives the same answer.
            #expect(plugins.engine.secondsLeft(snapshot: snapshot.encoded, builtIn: builtIn) == answer)
        }
        let own = try #require(answers["0"])
        #expect(abs(own - 150) < 1e-6, "the plugin's own estimate: \(own)")
        #expect(abs(try #require(answers["1"]) - builtIn) < 1e-6)
        #expect(abs(try #require(answers["0.5"]) - (own + builtIn) / 2) < 1e-6)
        let auto = try #require(answers["auto"])
        #expect(auto >= min(own, builtIn) && auto <= max(own, builtIn))
        #expect(builtIn != own, "the blend is only tested when the two differ")
    }

    @Test func theEstimatorUsesThePeakBetweenWaves() throws {
        let plugins = try ShippedPlugins(["eta-throughput.lua"], settings: ["eta-throughput.conf": "builtin_weight = 0\n"])
        var farm = Farm(plugins)
        farm.renderInWaves("p", frames: 30, machines: 10, finish: 10, secondsPerFrame: 100)
        // Nothing rendering, 20 queued, ten machines seen at once: two more waves of 100 s.
        #expect(try plugins.estimate(farm.snapshot("p")) == 200)
    }

    @Test func theEstimatorIgnoresAnOutlierFrame() throws {
        let plugins = try ShippedPlugins(["eta-throughput.lua"], settings: ["eta-throughput.conf": "builtin_weight = 0\n"])
        var farm = Farm(plugins)
        farm.renderInWaves("p", frames: 24, machines: 4, finish: 7, secondsPerFrame: 100)
        // One frame takes 20 times longer: the median of eight is still 100.
        farm.apply(.startedFrameRender(project: "p", frame: 8, jobID: "slow", imagePath: "/r/p.8.exr"))
        farm.advance(seconds: 2000)
        farm.apply(.setFrameRenderFraction(project: "p", frame: 8, fraction: 1))
        // 16 queued on 4 machines (the peak): four waves.
        #expect(try plugins.estimate(farm.snapshot("p")) == 400)
        let builtIn = try #require(farm.tracker.estimatedSecondsLeft(for: "p"))
        #expect(builtIn > 600, "the built-in mean is pulled up by the outlier: \(builtIn)")
    }

    @Test func theEstimatorDefersToTheBuiltInWithoutItsOwnEvidence() throws {
        let plugins = try ShippedPlugins(["eta-throughput.lua"])
        var farm = Farm(plugins)
        // The existing-IFD route: frames are only seen finishing, never starting.
        farm.apply(.startedRenderProject(project: "p", frames: Array(1...20), generatesIFDs: false, jobID: "1"))
        for frame in 1...5 {
            farm.advance(seconds: 30)
            farm.apply(.setFrameRenderFraction(project: "p", frame: frame, fraction: 1))
        }
        let snapshot = farm.snapshot("p")
        let builtIn = try #require(snapshot["builtin"].doubleValue, "the built-in has the completion rate")
        #expect(try plugins.estimate(snapshot) == builtIn)
    }

    @Test func theEstimatorIsCheapForALargeProject() throws {
        let plugins = try ShippedPlugins(["eta-throughput.lua"], settings: ["eta-throughput.conf": "builtin_weight = 0\n"])
        var farm = Farm(plugins)
        farm.renderInWaves("p", frames: 100_000, machines: 8, finish: 32, secondsPerFrame: 100)
        farm.render("p", frames: 33...232, for: 25, reaching: 0.25)
        let snapshot = farm.snapshot("p")
        #expect(snapshot["frames"] == .null && snapshot["all_frames"] == .bool(false), "above 20,000 frames the list is not sent")
        // 99,768 queued on 200 machines free in 75 s: 498 rounds and 168 machines one more.
        let answer = try #require(try plugins.estimate(snapshot, limits: LuaCallLimits(instructions: 100_000, seconds: 1)))
        #expect(answer == 75 + 499 * 100)
    }

    // MARK: The folder as shipped

    @Test func theShippedFolderPassesPluginsCheck() throws {
        let environment = [
            "RENDERTRACKER_WEBHOOK_NOTIFY_URL": "https://hooks.slack.com/services/T0/B0/X",
            "RENDERTRACKER_MAIL_NOTIFY_TO": "leads@studio.example",
            "RENDERTRACKER_STALL_ALERT_URL": "https://discord.com/api/webhooks/1/abc",
        ]
        for environment in [[:], environment] {
            let effects = CapturedPluginEffects()
            let engine = PluginEngine(
                folder: PluginFolder(path: shippedFolder.path, environment: environment), effects: effects, clock: ManualClock(), logger: .quiet
            )
            let registrations = try engine.reload().get()
            #expect(registrations.map(\.name) == ["eta-throughput.lua", "mail-notify.lua", "shot-naming.lua", "stall-alert.lua", "webhook-notify.lua"])
            #expect(engine.generation?.requestSet.formulaPlugin == "shot-naming.lua")
            #expect(engine.generation?.requestSet.estimatorPlugin == "eta-throughput.lua")
            let results = engine.check()
            for result in results {
                #expect((try? result.outcome.get()) != nil, "\(result.plugin) \(result.capability): \(result.outcome)")
            }
            // Formula, estimator, stall hook; then mail and webhook on done, failed and removed.
            let expectedChecks = environment.isEmpty ? 3 : 9
            #expect(results.count == expectedChecks, "\(results.map { "\($0.plugin) \($0.capability)" })")
            #expect(effects.notifications.count == (environment.isEmpty ? 0 : 5))
        }
    }

    @Test(arguments: ["eta-throughput", "mail-notify", "shot-naming", "stall-alert", "webhook-notify"])
    func theExampleSettingsLoadAndDocumentEveryKey(plugin: String) throws {
        let example = try String(contentsOf: shippedFolder.appendingPathComponent("\(plugin).conf.example"), encoding: .utf8)
        let plugins = try ShippedPlugins(["\(plugin).lua"], settings: ["\(plugin).conf": example])
        for result in plugins.engine.check() {
            #expect((try? result.outcome.get()) != nil, "\(result.capability): \(result.outcome)")
        }
        let keys = try PluginFolder.parseSettings(example, file: "\(plugin).conf.example").keys
        #expect(!keys.isEmpty)
        let text = try String(contentsOf: shippedFolder.appendingPathComponent("\(plugin).lua"), encoding: .utf8)
        let header = try #require(text.components(separatedBy: "]]").first)
        for key in keys {
            #expect(header.contains("\n  \(key) "), "\(plugin).lua documents the setting \(key)")
            #expect(text.contains("\"\(key)\""), "\(plugin).lua reads the setting \(key)")
        }
    }

    @Test(arguments: [
        ("shot-naming", "pattern = /shows/show/shots/shot/", "has no {placeholder}"),
        ("shot-naming", "format = {show}_{episode}", "{episode} is not one of the pattern's placeholders"),
        ("shot-naming", "pattern = /shows/{user}/", "{user} is reserved"),
        ("shot-naming", "pattern = /shows/{show/", "`{` without `}`"),
        ("shot-naming", "ignore_case = maybe", "must be true or false"),
        ("webhook-notify", "url = ftp://x/y", "must start with http:// or https://"),
        ("webhook-notify", "url = http://x/y\nformat = irc", "must be slack, teams, discord, generic or auto"),
        ("webhook-notify", "url = http://x/y\nevents = project_done, frame_done", "unknown event \"frame_done\""),
        ("mail-notify", "to = a@b\nevents = project_started", "unknown event \"project_started\""),
        ("mail-notify", "to = a@b\nerror_limit = lots", "error_limit must be a whole number"),
        ("stall-alert", "every_minutes = soon", "every_minutes must be a number"),
        ("eta-throughput", "builtin_weight = 2", "builtin_weight must be auto or a number from 0 to 1"),
        ("eta-throughput", "min_samples = 0", "min_samples must be a whole number"),
    ])
    func wrongSettingsAreRefusedAtLoadNamingThePlugin(plugin: String, conf: String, message: String) throws {
        do {
            _ = try ShippedPlugins(["\(plugin).lua"], settings: ["\(plugin).conf": conf])
            Issue.record("\(conf) should be refused")
        } catch let error as PluginReloadError {
            #expect(error.description.hasPrefix("\(plugin).lua: \(plugin): setting"), "\(error)")
            #expect(error.description.contains(message), "\(error)")
        }
    }
}

// MARK: - Fixtures

/// The repository's `plugins/` folder.
private let shippedFolder = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("plugins")

/// Some shipped plugins copied into a throw-away folder with settings files, loaded by a real
/// engine (both states, smoke tests) with captured notifications and log, on a manual clock.
private struct ShippedPlugins {
    let folder: URL
    let effects = CapturedPluginEffects()
    let clock = ManualClock(Timestamp(secondsSince1970: 1_767_225_600))
    let log = LogRecorder()
    let engine: PluginEngine

    init(_ names: [String], settings: [String: String] = [:]) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("rendertracker-shipped-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for name in names {
            try FileManager.default.copyItem(at: shippedFolder.appendingPathComponent(name), to: folder.appendingPathComponent(name))
        }
        for (name, text) in settings {
            try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        let log = log
        // The daemon's limits, but for the time a call may take: tests share two cores (and the
        // hook thread runs at the lowest priority), and the instruction budget is what says a
        // plugin is cheap enough.
        let options = PluginOptions(
            requestCallLimits: LuaCallLimits(instructions: 1_000_000, seconds: 2),
            hookCallLimits: LuaCallLimits(instructions: PluginOptions().hookCallLimits.instructions, seconds: 10))
        engine = PluginEngine(
            folder: PluginFolder(path: folder.path, environment: [:]), options: options, effects: effects, clock: clock,
            logger: Logger(label: "shipped-plugins") { _ in RecordingLogHandler(recorder: log) }
        )
        _ = try engine.reload().get()
    }

    /// The formula's answer through the engine; a plugin failure (which the engine would hide
    /// behind the built-in name) fails the test.
    func name(user: String, path: String) throws -> String {
        let name = engine.projectName(user: user, localHipPath: path)
        #expect(engine.statistics.failures.isEmpty, "\(log.messages(at: .warning))")
        return name
    }

    /// The estimator's own answer (nil is "unknown"), within the daemon's request limits unless
    /// told otherwise.
    func estimate(_ snapshot: LuaValue, limits: LuaCallLimits? = nil) throws -> Double? {
        let requestSet = try #require(engine.generation?.requestSet)
        return try requestSet.secondsLeft(project: snapshot.encoded, limits: limits ?? engine.options.requestCallLimits).get()
    }

    func hooksRan() async throws {
        let drained = await engine.drainHooks(seconds: 10)
        try #require(drained, "hooks still queued")
        #expect(engine.statistics.failures.isEmpty, "\(log.messages(at: .warning))")
    }

    func posts(from plugin: String) -> [(url: String, body: String, headers: [String: String])] {
        effects.notifications.compactMap {
            if case let .httpPost(from, url, body, headers, _) = $0, from == plugin { (url, body, headers) } else { nil }
        }
    }

    func runs(from plugin: String) -> [(arguments: [String], input: String?)] {
        effects.notifications.compactMap {
            if case let .exec(from, arguments, input) = $0, from == plugin { (arguments, input) } else { nil }
        }
    }
}

/// A render farm as the daemon sees it: commands applied to a tracker on the plugins' clock, and
/// their events handed to the hook queue as the daemon's observer does.
private struct Farm {
    var tracker: Tracker
    let plugins: ShippedPlugins
    var stalls: StallWatch

    init(_ plugins: ShippedPlugins) {
        self.plugins = plugins
        tracker = Tracker(clock: plugins.clock)
        stalls = StallWatch(stallSeconds: plugins.engine.options.stallSeconds)
    }

    /// Every hook event the commands fired, whether or not a plugin hooks it.
    var fired: [PluginEvent.Name] = []

    mutating func apply(_ command: TrackerCommand) {
        let outcome = tracker.apply(command)
        plugins.engine.enqueue(outcome.events, in: tracker)
        for event in outcome.events {
            fired += PluginEvent.events(for: event, in: tracker, wanted: Set(PluginEvent.Name.allCases)).map(\.name)
        }
    }

    func advance(minutes: Double) { plugins.clock.advance(bySeconds: minutes * 60) }
    func advance(seconds: Double) { plugins.clock.advance(bySeconds: seconds) }

    /// What the daemon's stall scan would queue now; returns how many stalls it found.
    mutating func lookForStalls() -> Int {
        let events = stalls.newStalls(in: tracker)
        for event in events { plugins.engine.enqueue(event) }
        return events.count
    }

    /// The estimator's input, built as the daemon builds it for a time-left answer.
    func snapshot(_ project: String) -> LuaValue {
        let encoded = ProjectSnapshot.encoded(
            of: tracker.project(named: project)!, now: tracker.clock.now(), builtInSecondsLeft: tracker.estimatedSecondsLeft(for: project),
            allFrames: plugins.engine.estimator.wantsFrames, frameLimit: plugins.engine.options.snapshotFrameLimit
        )
        // Read back, so tests can look into it.
        return encoded.bytes.withUnsafeBytes { (try? LuaValueCodec.decode($0))?.first } ?? .null
    }

    /// Renderer output whose cause (its last line, marked Error) has quotes, backslashes, a
    /// control character, non-ASCII and a would-be ping in it.
    static let awkwardError = "mantra: Loading \"C:\\scenes\\wall.ifd\"\nALF_PROGRESS 40%\n\tat line 2\nmantra: Error: can't open \"C:\\tex\\wall.rat\" \u{1} — café 🎬 @everyone"
    static let awkwardCause = "mantra: Error: can't open \"C:\\tex\\wall.rat\" \u{1} — café 🎬 @everyone"

    /// Three 90-second frames one after another: done in 4m 30s.
    mutating func renderDone(project: String = "artist/sh010_light_v003", frames: Int = 3) {
        apply(.startedRenderProject(project: project, frames: Array(1...frames), generatesIFDs: false, jobID: "2001"))
        for frame in 1...frames {
            apply(.startedFrameRender(project: project, frame: frame, jobID: "210\(frame)", imagePath: "/r/sh010.\(frame).exr"))
            advance(seconds: 45)
            apply(.setFrameRenderFraction(project: project, frame: frame, fraction: 0.5))
            advance(seconds: 45)
            apply(.setFrameRenderFraction(project: project, frame: frame, fraction: 1))
        }
    }

    /// Frame 1 done, frame 2 fails with `error`, frame 3 loses its machine: failed after 2 min.
    mutating func renderFailed(error: String = Farm.awkwardError) {
        let project = "artist/sh020_fx_v007"
        apply(.startedRenderProject(project: project, frames: [1, 2, 3], generatesIFDs: false, jobID: "2002"))
        apply(.startedFrameRender(project: project, frame: 1, jobID: "2201", imagePath: "/r/sh020.1.exr"))
        advance(seconds: 60)
        apply(.setFrameRenderFraction(project: project, frame: 1, fraction: 1))
        apply(.startedFrameRender(project: project, frame: 2, jobID: "2202", imagePath: "/r/sh020.2.exr"))
        advance(seconds: 30)
        apply(.setFrameError(project: project, frame: 2, message: error))
        apply(.startedFrameRender(project: project, frame: 3, jobID: "2203", imagePath: "/r/sh020.3.exr"))
        advance(seconds: 30)
        apply(.setFrameError(project: project, frame: 3, message: "job 2203 lost its machine"))
    }

    /// Starts a project of `frames` and renders its first `finish` frames `machines` at a time,
    /// each taking `secondsPerFrame`, seen from start to finish.
    mutating func renderInWaves(_ project: String, frames: Int, machines: Int, finish: Int, secondsPerFrame: Double) {
        apply(.startedRenderProject(project: project, frames: Array(1...frames), generatesIFDs: false, jobID: "1"))
        for wave in stride(from: 1, through: finish, by: machines) {
            render(project, frames: wave...min(wave + machines - 1, finish), for: secondsPerFrame, reaching: 1)
        }
    }

    /// Starts `frames` together and, `seconds` later, has each report `fraction`.
    mutating func render(_ project: String, frames: ClosedRange<Int>, for seconds: Double, reaching fraction: Double) {
        for frame in frames {
            apply(.startedFrameRender(project: project, frame: frame, jobID: "j\(frame)", imagePath: "/r/\(project).\(frame).exr"))
        }
        advance(seconds: seconds)
        for frame in frames {
            apply(.setFrameRenderFraction(project: project, frame: frame, fraction: fraction))
        }
    }
}

/// The webhook formats, and how to read one's text back for assertions.
enum WebhookFormat: String, CaseIterable, Sendable {
    case slack, teams, discord, generic

    /// Every string in the message, joined; Discord's markdown escapes removed.
    func text(of message: JSONObject) -> String {
        let strings = message.allStrings
        return (self == .discord ? strings.map(discordUnescaped) : strings).joined(separator: "\n")
    }
}

private func discordUnescaped(_ text: String) -> String {
    var result = "", escaped = false
    for character in text {
        if !escaped && character == "\\" {
            escaped = true
        } else {
            result.append(character)
            escaped = false
        }
    }
    return result
}

/// A parsed JSON value (through Foundation's parser), with just enough to read it.
struct JSONObject {
    let value: Any

    init(value: Any) { self.value = value }

    init(parsing text: String) throws {
        value = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
    }

    subscript(key: String) -> JSONObject? {
        (value as? [String: Any])?[key].map(JSONObject.init(value:))
    }

    subscript(index: Int) -> JSONObject? {
        guard let array = value as? [Any], array.indices.contains(index) else { return nil }
        return JSONObject(value: array[index])
    }

    var string: String? { value as? String }
    var array: [JSONObject]? { (value as? [Any])?.map(JSONObject.init(value:)) }
    var double: Double? { (value as? NSNumber)?.doubleValue }
    var int: Int? {
        // (No Bool check: Foundation bridges the numbers 0 and 1 to Bool too.)
        guard let number = value as? NSNumber, number.doubleValue == number.doubleValue.rounded() else { return nil }
        return number.intValue
    }

    var allStrings: [String] {
        switch value {
        case let string as String: [string]
        case let array as [Any]: array.flatMap { JSONObject(value: $0).allStrings }
        case let object as [String: Any]: object.keys.sorted().flatMap { JSONObject(value: object[$0]!).allStrings }
        default: []
        }
    }
}

/// A mail as handed to sendmail: headers (unfolded) and body.
private struct Mail {
    let headerLines: [String]
    let headers: [(name: String, value: String)]
    let body: String

    init(_ text: String) throws {
        let parts = text.components(separatedBy: "\n\n")
        try #require(parts.count >= 2, "a blank line ends the headers")
        headerLines = parts[0].components(separatedBy: "\n")
        body = parts.dropFirst().joined(separator: "\n\n")
        var headers: [(name: String, value: String)] = []
        for line in headerLines {
            if line.hasPrefix(" ") || line.hasPrefix("\t"), let last = headers.popLast() {
                headers.append((last.name, last.value + line))  // folding: the line break goes, the space stays
            } else {
                let colon = try #require(line.firstIndex(of: ":"), "header line \(line.debugDescription)")
                headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
            }
        }
        self.headers = headers
    }

    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

/// RFC 2047 `=?UTF-8?B?...?=` words decoded and joined (whitespace between them dropped).
private func decodeEncodedWords(_ text: String) -> String {
    var bytes: [UInt8] = []
    for match in text.matches(of: /=\?UTF-8\?B\?([A-Za-z0-9+\/=]*)\?=/) {
        bytes += Data(base64Encoded: String(match.1)).map(Array.init) ?? Array("<bad base64>".utf8)
    }
    return String(decoding: bytes, as: UTF8.self)
}

/// Log messages kept for assertions.
final class LogRecorder: Sendable {
    private let entries = Mutex<[(level: Logger.Level, message: String)]>([])

    func record(_ level: Logger.Level, _ message: String) {
        entries.withLock { $0.append((level, message)) }
    }

    func messages(at level: Logger.Level) -> [String] {
        entries.withLock { $0.filter { $0.level == level }.map(\.message) }
    }
}

struct RecordingLogHandler: LogHandler {
    let recorder: LogRecorder
    var logLevel: Logger.Level = .trace
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        recorder.record(event.level, "\(event.message)")
    }
}

extension Logger {
    fileprivate static let quiet = Logger(label: "shipped-plugins") { _ in SwiftLogNoOpLogHandler() }
}

extension LuaValue {
    /// The value in the boundary's encoding, as the estimator receives its snapshot.
    fileprivate var encoded: LuaEncoder {
        var encoder = LuaEncoder()
        encoder.value(self)
        return encoder
    }
}
