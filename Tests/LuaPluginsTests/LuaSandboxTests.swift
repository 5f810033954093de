import Foundation
import Logging
import Testing
@testable import LuaPlugins
import LuaHost

/// The sandbox and the limits, straight on one plugin state: every hostile plugin ends in a
/// failure that names what happened, and the state keeps working afterwards.
// Serialized: each test runs Lua on a Swift concurrency thread, and the server tests in the same
// process need those threads to answer in time.
@Suite(.serialized) struct LuaSandboxTests {
    private func formula(
        _ body: String, limits: LuaCallLimits = LuaCallLimits(instructions: 1_000_000, seconds: 0.5)
    ) throws -> (PluginSet, Result<String, LuaCallFailure>) {
        let fixture = try PluginFixture(["hostile.lua": "tracker.set_name_formula(function(user, hip)\n\(body)\nend)\n"])
        let plugins = try fixture.load()
        return (plugins, plugins.projectName(user: "ana", localHipPath: "/jobs/a.hip", limits: limits))
    }

    @Test func aFormulaAnswers() throws {
        let (_, result) = try formula("return user .. '@' .. hip")
        #expect(try result.get() == "ana@/jobs/a.hip")
    }

    @Test func anEndlessLoopStopsAtTheInstructionBudgetNamingTheLine() throws {
        let (plugins, result) = try formula("while true do end")
        guard case .failure(.instructionLimit(_, let location)) = result else {
            Issue.record("expected the instruction limit, got \(result)")
            return
        }
        #expect(location == "hostile.lua:2")
        // The state still answers afterwards.
        let next = plugins.state.call("run_hooks", [.string("hostile.lua"), .string("frame_done"), .table([:])], limits: LuaCallLimits())
        #expect((try? next.get()) == [])
    }

    @Test func aLoopThatCatchesItsOwnStopIsStoppedAnyway() throws {
        let (_, result) = try formula("while true do pcall(function() while true do end end) end")
        guard case .failure(.instructionLimit) = result else {
            Issue.record("expected the instruction limit, got \(result)")
            return
        }
        let (_, viaXpcall) = try formula("while true do xpcall(function() while true do end end, function(e) return e end) end")
        guard case .failure(.instructionLimit) = viaXpcall else {
            Issue.record("expected the instruction limit, got \(viaXpcall)")
            return
        }
        let (_, viaCoroutine) = try formula("while true do coroutine.resume(coroutine.create(function() while true do end end)) end")
        guard case .failure(.instructionLimit) = viaCoroutine else {
            Issue.record("expected the instruction limit, got \(viaCoroutine)")
            return
        }
    }

    @Test func aSlowCallStopsAtTheTimeLimit() throws {
        let fixture = try PluginFixture(["slow.lua": "tracker.set_name_formula(function() local t = os.clock() while os.clock() - t < 5 do end return 'x' end)"])
        let plugins = try fixture.load()
        let result = plugins.projectName(user: "a", localHipPath: "b", limits: LuaCallLimits(instructions: .max, seconds: 0.05))
        guard case .failure(.timeLimit(_, let location)) = result else {
            Issue.record("expected the time limit, got \(result)")
            return
        }
        #expect(location.hasPrefix("slow.lua:1"))
    }

    @Test func aMemoryBombHitsTheCap() throws {
        let (plugins, result) = try formula(
            "local t = {} for i = 1, 1e9 do t[i] = string.rep('x', 100) .. i end", limits: LuaCallLimits(instructions: .max, seconds: 30)
        )
        #expect(result == .failure(.outOfMemory(limitBytes: 64 << 20)))
        #expect(plugins.state.memoryInUse < 16 << 20, "the garbage of the failed call is collected")
    }

    @Test func aGigabyteStringIsRefused() throws {
        let (_, result) = try formula("return string.rep('x', 1 << 30)")
        #expect(result == .failure(.outOfMemory(limitBytes: 64 << 20)))
        let (_, viaMethod) = try formula("return ('x'):rep(1 << 30)")
        #expect(viaMethod == .failure(.outOfMemory(limitBytes: 64 << 20)))
    }

    @Test func aRuntimeErrorNamesFileAndLine() throws {
        let (_, result) = try formula("local t = nil\nreturn t.field")
        guard case .failure(let failure) = result else {
            Issue.record("expected an error")
            return
        }
        #expect(failure.summary.hasPrefix("hostile.lua:3: attempt to index a nil value"))
        #expect(failure.description.contains("stack traceback"))
    }

    @Test(arguments: [
        ("return 42", "the number 42.0"),
        ("return {}", "a table"),
        ("return nil", "nothing"),
        ("return ''", "the string \"\""),
        ("return function() end", "a function"),
    ])
    func aWrongReturnTypeIsNamed(body: String, named: String) throws {
        let (_, result) = try formula(body)
        guard case .failure(.error(let message)) = result else {
            Issue.record("expected a type error, got \(result)")
            return
        }
        #expect(message.contains("must return a non-empty string"))
        #expect(message.contains(named) || (named == "nothing" && message.contains("a nil")))
    }

    @Test(arguments: [
        "io.open('/etc/passwd')", "os.execute('true')", "os.remove('/tmp/x')", "os.getenv('HOME')", "load('return 1')",
        "loadfile('/etc/passwd')", "dofile('/etc/passwd')", "require('io')", "debug.getinfo(1)", "package.loadlib('x', 'y')",
        "string.dump(print)", "(''):dump(print)", "string.dump(function() end)", "collectgarbage('stop')", "getmetatable('').__index.upper = nil", "setmetatable({}, {__gc = function() end})",
    ])
    func dangerousLibrariesAreOutOfReach(_ attempt: String) throws {
        let (_, result) = try formula("\(attempt)\nreturn 'reached'")
        guard case .failure(.error(let message)) = result else {
            Issue.record("\(attempt) should fail, got \(result)")
            return
        }
        #expect(message.hasPrefix("hostile.lua:"), "\(message)")
    }

    @Test func aLongLogMessageIsClippedWithANote() throws {
        let logged = LogRecorder()
        let fixture = try PluginFixture(["chatty.lua": "tracker.log('warning', 'start ' .. string.rep('x', 8 * 1024 * 1024) .. ' end')"])
        var host = fixture.host
        host.logger = Logger(label: "plugins-test") { _ in RecordingLogHandler(recorder: logged) }
        _ = try PluginSet(files: try PluginFolder(path: fixture.folder.path, environment: [:]).read(), options: PluginOptions(), host: host)
        let message = try #require(logged.messages(at: .warning).first)
        #expect(message.utf8.count < 4200, "\(message.utf8.count) bytes logged")
        #expect(message.hasPrefix("start xxx") && message.hasSuffix("xxx end"))
        #expect(message.contains("[... \(8 * 1024 * 1024 + 10 - 4096) bytes cut ...]"))
    }

    @Test func bytecodeIsRefused() throws {
        let fixture = try PluginFixture(["bytecode.lua": "\u{1B}Lua\u{54}\u{00}garbage"])
        #expect(throws: PluginLoadError.self) { try fixture.load() }
        do {
            _ = try fixture.load()
        } catch let error as PluginLoadError {
            #expect(error.plugin == "bytecode.lua")
            #expect(error.failure.summary.contains("binary chunk"))
        }
    }

    @Test func aSyntaxErrorNamesFileAndLine() throws {
        let fixture = try PluginFixture(["a-good.lua": "x = 1", "broken.lua": "tracker.on('frame_done', function(e)\n  if e then\nend)"])
        do {
            _ = try fixture.load()
            Issue.record("a syntax error must fail the load")
        } catch let error as PluginLoadError {
            #expect(error.plugin == "broken.lua")
            #expect(error.description.hasPrefix("broken.lua: broken.lua:3:"))
        }
    }

    @Test func pluginsDoNotShareGlobalsOrLibraries() throws {
        let fixture = try PluginFixture([
            "a.lua": "shared = 'from a'\nstring.upper = function() return 'hijacked' end",
            "b.lua": "tracker.set_name_formula(function(user) return tostring(shared) .. ' ' .. string.upper(user) .. ' ' .. user:upper() end)",
        ])
        let plugins = try fixture.load()
        #expect(try plugins.projectName(user: "ana", localHipPath: "x", limits: LuaCallLimits()).get() == "nil ANA ANA")
    }

    @Test func settingsAndHostFunctionsReachThePlugin() throws {
        let fixture = try PluginFixture(["notify.lua": """
            tracker.set_name_formula(function(user)
              tracker.http_post(tracker.settings.url, '{"text":"' .. user .. '"}', {Authorization = 'Bearer x'})
              tracker.exec({'/usr/sbin/sendmail', '-t'}, 'Subject: done')
              return tracker.settings.prefix .. user .. ' ' .. tracker.env('STUDIO') .. ' ' .. math.floor(tracker.now())
            end)
            """])
        try fixture.write("notify.conf", "# where to post\nurl = http://127.0.0.1:9/hook\nprefix = P-\n")
        let plugins = try PluginSet(files: try PluginFolder(path: fixture.folder.path, environment: [:]).read(), options: PluginOptions(), host: fixture.host)
        #expect(try plugins.projectName(user: "ana", localHipPath: "x", limits: LuaCallLimits()).get() == "P-ana north 1700000000")
        #expect(fixture.effects.notifications == [
            .httpPost(plugin: "notify.lua", url: "http://127.0.0.1:9/hook", body: #"{"text":"ana"}"#, headers: ["Authorization": "Bearer x"]),
            .exec(plugin: "notify.lua", arguments: ["/usr/sbin/sendmail", "-t"], input: "Subject: done"),
        ])
    }

    @Test(arguments: [
        ("tracker.http_post('ftp://x/y', '')", "tracker.http_post: url must be an http:// or https:// address"),
        ("tracker.http_post('http://x/y', {})", "tracker.http_post: body must be a string, got table"),
        ("tracker.http_post('http://x/y', '', {a = 1})", "tracker.http_post: headers must map strings to strings"),
        ("tracker.http_post('http://x/y', '', {Host = 'admin.internal'})", "tracker.http_post: headers cannot set Host"),
        ("tracker.http_post('http://x/y', '', {['content-length'] = '0'})", "tracker.http_post: headers cannot set content-length"),
        ("tracker.http_post('http://x/y', '', nil, {follow = true})", "tracker.http_post: unknown options key follow (known: follow_redirects)"),
        ("tracker.http_post('http://x/y', '', nil, {follow_redirects = 'yes'})", "tracker.http_post: options.follow_redirects must be true or false, got string"),
        ("tracker.exec('sendmail')", "tracker.exec: argv must be a list of strings"),
        ("tracker.exec({'sendmail', {}})", "tracker.exec: argv[2] must be a string, got table"),
        ("tracker.log('loud', 'x')", "tracker.log: unknown level \"loud\""),
        ("tracker.on('frame_finished', print)", "tracker.on: unknown event frame_finished"),
    ])
    func wrongArgumentsToHostFunctionsRaiseNamedErrors(call: String, message: String) throws {
        let fixture = try PluginFixture(["bad.lua": call])
        do {
            _ = try fixture.load()
            Issue.record("\(call) should fail")
        } catch let error as PluginLoadError {
            #expect(error.failure.summary.contains("bad.lua:1: \(message)"), "\(error)")
        }
        #expect(fixture.effects.notifications.isEmpty)
    }

    @Test func environmentVariablesOverrideSettingsFiles() throws {
        let fixture = try PluginFixture(["slack-notify.lua": "x = 1"])
        try fixture.write("slack-notify.conf", "webhook_url = http://file\nchannel = #renders\n")
        let files = try PluginFolder(path: fixture.folder.path, environment: ["RENDERTRACKER_SLACK_NOTIFY_WEBHOOK_URL": "http://env"]).read()
        #expect(files.first?.settings == ["webhook_url": "http://env", "channel": "#renders"])
    }

    @Test func aMalformedSettingsLineIsNamed() throws {
        let fixture = try PluginFixture(["p.lua": "x = 1"])
        try fixture.write("p.conf", "url = x\njust words\n")
        #expect(throws: PluginFolderError.self) { try PluginFolder(path: fixture.folder.path, environment: [:]).read() }
        do {
            _ = try PluginFolder(path: fixture.folder.path, environment: [:]).read()
        } catch {
            #expect(error.description == "p.conf:2: expected `key = value`, got `just words`")
        }
    }

    @Test func trackerJSONWritesWhatAJSONParserReads() throws {
        let (plugins, _) = try formula(#"""
            return tracker.json({
              text = 'say "hi"\n\tback\\slash \1 é', count = 3, ratio = 0.25, ok = true, none = nil,
              list = {1, 'two', {three = 3}}, empty = {}, tenth = 0.1,
            })
            """#)
        // Straight from Lua: a formula's answer would have its quotes replaced by the name rules.
        let answer = plugins.state.call("run_formula", [.string("ana"), .string("x")], limits: LuaCallLimits())
        let text = try #require(try answer.get().first?.stringValue)
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(parsed["text"] as? String == "say \"hi\"\n\tback\\slash \u{1} é")
        #expect(parsed["count"] as? Int == 3)
        #expect(parsed["ratio"] as? Double == 0.25)
        #expect(parsed["ok"] as? Bool == true)
        #expect((parsed["list"] as? [Any])?.count == 3)
        #expect((parsed["empty"] as? [Any])?.isEmpty == true)
        #expect(text.contains(#""tenth":0.1,"#), "the shortest exact digits: \(text)")
        #expect(text.hasPrefix(#"{"count":3,"empty":[],"list":[1,"two",{"three":3}],"ok":true"#), "keys sorted: \(text)")
        let (_, refused) = try formula("return tracker.json({[{}] = 1})")
        #expect((try? refused.get()) == nil)
    }

    @Test func aRunawayPatternStopsAtTheCallsLimitsNamingTheLine() throws {
        // Seven nested quantifiers on 100 characters: about 10^10 steps inside one string.find,
        // which Lua's own matcher ran to the end (over a minute) with the hook never called.
        let runaway = "string.rep('a', 100):find('a*a*a*a*a*a*a*b')\nreturn 'late'"
        let started = ContinuousClock.now
        let (_, byTime) = try formula(runaway, limits: LuaCallLimits(instructions: .max, seconds: 0.05))
        #expect(byTime == .failure(.timeLimit(seconds: 0.05, location: "hostile.lua:2")))
        #expect(ContinuousClock.now - started < .seconds(10), "stopped at the deadline, not when the match gave up (minutes)")
        let (_, byBudget) = try formula(runaway, limits: LuaCallLimits(instructions: 1_000_000, seconds: 60))
        #expect(byBudget == .failure(.instructionLimit(instructions: 1_000_000, location: "hostile.lua:2")))
        // Every function of the kind, and a plain find of a long needle, counts its steps.
        for call in [
            "string.rep('a', 100):match('a*a*a*a*a*a*a*b')", "string.rep('a', 100):gsub('a*a*a*a*a*a*a*b', '')",
            "for m in string.rep('a', 100):gmatch('a*a*a*a*a*a*a*b') do end",
            "string.rep('a', 1 << 20):find(string.rep('a', 1 << 19) .. 'b', 1, true)",
        ] {
            let (_, result) = try formula("\(call)\nreturn 'late'", limits: LuaCallLimits(instructions: 1_000_000, seconds: 60))
            #expect(result == .failure(.instructionLimit(instructions: 1_000_000, location: "hostile.lua:2")), "\(call)")
        }
    }

    @Test("an estimate that is not a time left (past a year, infinite, not a number) is refused at load, naming it", arguments: [
        ("1e308", "the number 1e+308"), ("math.huge", "the number inf"), ("0/0", "the number"), ("-1", "the number -1.0"),
        ("366 * 86400", "the number 31622400.0"),
    ])
    func anEstimateOutOfRangeFailsTheSmokeTest(_ answer: String, _ named: String) throws {
        let fixture = try PluginFixture(["eta.lua": "tracker.set_estimator(function(project) return \(answer) end)"])
        #expect((try? fixture.engine.reload().get()) == nil)
        let files = try fixture.engine.folder.read()
        do {
            _ = try fixture.engine.load(files)
            Issue.record("\(answer) must fail the estimator's smoke test")
        } catch {
            #expect(error.plugin == "eta.lua")
            #expect(error.failure.summary.contains("must return seconds (a number from 0 to 31536000, a year) or nil, got \(named)"), "\(error)")
        }
    }

    @Test func anEstimatorMayGiveARange() throws {
        let fixture = try PluginFixture(["eta.lua": "tracker.set_estimator(function(p) return 7200, 6000, 9000 end)"])
        #expect((try? fixture.engine.reload().get()) != nil)
        let answer = try #require(fixture.engine.estimate(snapshot: PluginEngine.sampleProject) ?? nil)
        #expect(answer.seconds == 7200 && answer.low == 6000 && answer.high == 9000 && answer.isRange)
    }

    @Test func anEstimatorRangeMustHoldItsSeconds() throws {
        let fixture = try PluginFixture(["eta.lua": "tracker.set_estimator(function(p) return 7200, 8000, 9000 end)"])
        let files = try fixture.engine.folder.read()
        do {
            _ = try fixture.engine.load(files)
            Issue.record("a range that does not hold its seconds must fail the smoke test")
        } catch {
            #expect(error.failure.summary.contains("low <= seconds <= high"), "\(error)")
        }
    }

    @Test func anEstimatorThatCannotTellIsPassedOn() throws {
        let fixture = try PluginFixture(["eta.lua": "tracker.set_estimator(function(p) if p.frame_count > 100 then return nil end return 60 end)"])
        #expect((try? fixture.engine.reload().get()) != nil)
        var larger = LuaEncoder()
        larger.value(.record(["frame_count": .integer(1000)]))
        #expect(fixture.engine.secondsLeft(snapshot: larger, builtIn: 150) == nil)
    }

    @Test func anEstimateOutOfRangeAtRunTimeGivesTheBuiltInAnswer() throws {
        // Passes the smoke test (40 frames done of 100), then answers 1e308 for a larger project.
        let fixture = try PluginFixture(["eta.lua": "tracker.set_estimator(function(p) if p.frame_count > 100 then return 1e308 end return 60 end)"])
        #expect((try? fixture.engine.reload().get()) != nil)
        #expect(fixture.engine.secondsLeft(snapshot: PluginEngine.sampleProject, builtIn: 150) == 60)
        var larger = LuaEncoder()
        larger.value(.record(["frame_count": .integer(1000)]))
        #expect(fixture.engine.secondsLeft(snapshot: larger, builtIn: 150) == 150)
        #expect(fixture.engine.statistics.failures == ["eta.lua": 1])
    }

    @Test("an estimator answering a table shared 29 levels deep is refused at load naming the file, and falls back at run time")
    func aSharedTableEstimateIsRefused() throws {
        let shared = "local t = 1.5 for i = 1, 29 do t = {t, t} end"
        let atLoad = try PluginFixture(["eta.lua": "\(shared)\ntracker.set_estimator(function(p) return t end)"])
        let files = try atLoad.engine.folder.read()
        do {
            _ = try atLoad.engine.load(files)
            Issue.record("the estimator must fail its smoke test")
        } catch {
            #expect(error.description.hasPrefix("eta.lua: smoke test of the estimator failed: more than 100000 values to pass to the host"), "\(error)")
        }
        let atRunTime = try PluginFixture(["eta.lua": "\(shared)\ntracker.set_estimator(function(p) if p.frame_count > 100 then return t end return 60 end)"])
        _ = try atRunTime.engine.reload().get()
        var larger = LuaEncoder()
        larger.value(.record(["frame_count": .integer(1000)]))
        #expect(atRunTime.engine.secondsLeft(snapshot: larger, builtIn: 150) == 150)
    }

    @Test func formulaNamesFollowTheProjectNameRules() throws {
        let (_, quoted) = try formula(#"return 'shot "A"'"#)
        #expect(quoted == .success("shot 'A'"))
        let (_, newline) = try formula(#"return 'two\nlines'"#)
        guard case .failure(.error(let message)) = newline else {
            Issue.record("a newline must be refused, got \(newline)")
            return
        }
        #expect(message.contains("control character"))
        let (_, long) = try formula("return string.rep('n', 5000)")
        guard case .failure(.error(let tooLong)) = long else {
            Issue.record("5000 bytes must be refused, got \(long)")
            return
        }
        #expect(tooLong.contains("returned 5000 bytes; project names are limited to 4096"))
    }

    @Test func textHelpersClipByCharacterAndWriteDurations() throws {
        let (_, clipped) = try formula("return tracker.clip('ab' .. 'é' .. 'cdef', 6)")
        // "ab" + "é" (2 bytes) would leave room for only half of nothing before "…": cut after "ab".
        #expect(clipped == .success("ab…"))
        let (_, whole) = try formula("return tracker.clip('short', 10)")
        #expect(whole == .success("short"))
        let (_, durations) = try formula("return tracker.duration(42) .. ', ' .. tracker.duration(192) .. ', ' .. tracker.duration(7500) .. ', ' .. tracker.duration(97200)")
        #expect(durations == .success("42s, 3m 12s, 2h 05m, 27h 00m"))
        // 2026-11-24 22:40:00 local time, against the same day and against the next.
        let (_, clock) = try formula(
            "local t = os.time({year = 2026, month = 11, day = 24, hour = 22, min = 40}) "
                + "return tracker.clock_time(t, t + 60) .. ', ' .. tracker.clock_time(t, t + 86400)")
        #expect(clock == .success("22:40, 2026-11-24 22:40"))
        let fixture = try PluginFixture(["p.lua": "tracker.set_name_formula(function() return tracker.setting('empty', 'fallback') .. tracker.setting('set', 'x') end)"])
        try fixture.write("p.conf", "empty =\nset = given\n")
        let plugins = try fixture.load()
        #expect(plugins.projectName(user: "a", localHipPath: "b", limits: LuaCallLimits()) == .success("fallbackgiven"))
    }
}

