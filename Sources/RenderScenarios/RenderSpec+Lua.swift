import FarmSimulation
import LuaPlugins
import LuaHost

extension RenderSpec {
    /// A render from `farm:submit{...}`'s table (frame_seconds already one number per frame).
    init(lua table: LuaValue) throws(LuaHostError) {
        let fields = LuaFields(table: table)
        guard let frames = table["frames"].arrayElements?.compactMap(\.integerValue), frames.count == table["frames"].arrayElements?.count else {
            throw LuaHostError(message: "farm:submit: frames must be a list of integers")
        }
        let routeName = try fields.string("route") ?? "ifd"
        guard let route = RenderRoute(rawValue: routeName) else {
            throw LuaHostError(message: "farm:submit: route must be one of \(RenderRoute.allCases.map(\.rawValue).joined(separator: ", ")); got \"\(routeName)\"")
        }
        let project = try fields.string("project")
        let user = try fields.string("user")
        let hip = try fields.string("hip")
        guard project != nil || (user != nil && hip != nil) else {
            throw LuaHostError(message: "farm:submit: give project, or user and hip for the tracker's name formula")
        }
        let seconds = table["frame_seconds"].arrayElements?.compactMap(\.doubleValue) ?? []
        self.init(
            project: project, user: user ?? "artist", hipPath: hip ?? "/jobs/\(project ?? "render")/scene.hip",
            frames: frames, frameSeconds: seconds, route: route)
        ifdSeconds = try fields.number("ifd_seconds") ?? ifdSeconds
        ifdFramesPerJob = try fields.integer("ifd_frames_per_job") ?? ifdFramesPerJob
        prepareSeconds = try fields.number("prepare_seconds") ?? prepareSeconds
        framesPerJob = try fields.integer("frames_per_job") ?? framesPerJob
        tiles = try fields.integer("tiles") ?? tiles
        downloadSeconds = try fields.number("download_seconds")
        downloadSlots = try fields.integer("download_slots") ?? downloadSlots
        progressReports = try fields.integer("progress_reports") ?? progressReports
        failureRate = try fields.number("failure_rate") ?? failureRate
        failurePoint = try fields.number("failure_point") ?? failurePoint
        retries = try fields.integer("retries") ?? retries
        errorOutputBytes = try fields.integer("error_output_bytes") ?? errorOutputBytes
        projectError = try fields.string("project_error")
        spuriousDriverError = table["spurious_driver_error"] == .bool(true)
        jobID = try fields.integer("job_id")
        priority = try fields.integer("priority") ?? priority
        startupSeconds = try fields.number("startup_seconds") ?? startupSeconds
        retrySecondsFactor = try fields.number("retry_seconds_factor") ?? retrySecondsFactor
        if let weights = table["tile_weights"].arrayElements {
            let numbers = weights.compactMap(\.doubleValue)
            guard numbers.count == weights.count else { throw LuaHostError(message: "farm:submit: tile_weights must be a list of numbers") }
            tileWeights = numbers
        }
        if case .table(let failing) = table["fail_frames"] {
            for (frame, attempts) in failing {
                guard let frame = frame.integerValue, let attempts = attempts.integerValue else {
                    throw LuaHostError(message: "farm:submit: fail_frames maps frame numbers to failing attempts, e.g. { [12] = 1 }")
                }
                failingAttempts[frame] = attempts
            }
        }
        if let problem {
            throw LuaHostError(message: "farm:submit: \(problem)")
        }
    }
}

/// Optional typed fields of a Lua table, with errors naming the field.
private struct LuaFields {
    var table: LuaValue

    func string(_ name: String) throws(LuaHostError) -> String? {
        switch table[name] {
        case .null: return nil
        case .string(let text): return text
        case let other: throw LuaHostError(message: "farm:submit: \(name) must be a string, got \(other.typeName)")
        }
    }

    func number(_ name: String) throws(LuaHostError) -> Double? {
        switch table[name] {
        case .null: return nil
        case let value:
            guard let number = value.doubleValue else { throw LuaHostError(message: "farm:submit: \(name) must be a number, got \(value.typeName)") }
            return number
        }
    }

    func integer(_ name: String) throws(LuaHostError) -> Int? {
        switch table[name] {
        case .null: return nil
        case let value:
            guard let integer = value.integerValue else { throw LuaHostError(message: "farm:submit: \(name) must be an integer, got \(value.typeName)") }
            return integer
        }
    }
}

extension LuaValue {
    var integerValue: Int? {
        switch self {
        case .integer(let integer): Int(integer)
        case .number(let number) where number == number.rounded() && abs(number) < 9e15: Int(number)
        default: nil
        }
    }
}
