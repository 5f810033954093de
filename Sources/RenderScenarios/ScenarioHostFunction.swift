import LuaHost

/// The functions the scenario prelude calls through `host(id, ...)`, as `HOST.<snake_case name>`.
enum ScenarioHostFunction: Int32, LuaHostFunctions {
    case newFarm = 1
    case addMachines = 2
    case removeMachines = 3
    case submit = 4
    case run = 5
    case rerender = 6
    case progress = 7
    case estimateErrors = 8
    case call = 9
    case events = 10
    case notifications = 11
    case report = 12
    case now = 13
    case machines = 14
    case print = 15
    case replay = 16
    case replayRun = 17
    case replayInfo = 18
    case replayProgress = 19
    case replayEstimateErrors = 20
    case setSpeed = 21
}
