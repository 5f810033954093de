// swift-tools-version:6.1
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "rendertracker",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "rendertracker", targets: ["rendertracker"]),
        .library(name: "RenderTracker", targets: ["RenderTracker"]),
        .library(name: "RenderTrackerServer", targets: ["RenderTrackerServer"]),
        .library(name: "XMLRPC", targets: ["XMLRPC"]),
        .library(name: "LuaPlugins", targets: ["LuaPlugins"]),
        .library(name: "RenderReplay", targets: ["RenderReplay"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/adam-fowler/compress-nio.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        // libexpat, the streaming XML parser under Python's and xmlrpc-c's XML-RPC.
        .systemLibrary(name: "CExpat", pkgConfig: "expat", providers: [.apt(["libexpat1-dev"])]),
        // Lua 5.4, Debian's liblua5.4-dev; only CLuaShim touches it.
        .systemLibrary(name: "CLua", pkgConfig: "lua5.4", providers: [.apt(["liblua5.4-dev"])]),
        // The C side of the Lua boundary: capped allocator, instruction and time budget, protected
        // calls, values passed as bytes, so no Lua error (longjmp) ever crosses a Swift frame.
        .target(name: "CLuaShim", dependencies: ["CLua"]),
        // XML-RPC values and the request/response/fault codec.
        .target(name: "XMLRPC", dependencies: ["CExpat"], swiftSettings: strict),
        // The model: projects, frames, events, estimate. Pure Swift, no I/O, injectable clock.
        .target(name: "RenderTracker", swiftSettings: strict),
        // A render farm in virtual time making the calls real HQueue clients make. Pure Swift.
        .target(name: "FarmSimulation", dependencies: ["RenderTracker", "XMLRPC"], swiftSettings: strict),
        // Studio plugins in sandboxed Lua: naming, estimate, event hooks, notifications.
        .target(
            name: "LuaPlugins",
            dependencies: ["CLuaShim", "RenderTracker", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        // The HTTP application: XML-RPC and JSON-RPC endpoints bound to the model.
        .target(
            name: "RenderTrackerServer",
            dependencies: [
                "RenderTracker",
                "XMLRPC",
                "LuaPlugins",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            // The monitor's files, embedded by Monitor/embed.py into MonitorAssets.swift.
            exclude: ["Monitor"],
            swiftSettings: strict
        ),
        // Render-log replay: a recorded session sent again, in virtual time in-process or to a live tracker.
        .target(
            name: "RenderReplay",
            dependencies: [
                "RenderTrackerServer", "RenderTracker", "LuaPlugins", "XMLRPC", .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // Scenario scripts in Lua: a simulated farm driving the in-process tracker, with expectations.
        .target(
            name: "RenderScenarios",
            dependencies: [
                "FarmSimulation", "RenderTrackerServer", "RenderTracker", "LuaPlugins", "XMLRPC",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // The command-line tool: `serve`, `call`, `status`, `watch`, `plugins`, `replay`, `scenario`.
        .executableTarget(
            name: "rendertracker",
            dependencies: [
                "RenderTrackerServer",
                "RenderReplay",
                "RenderScenarios",
                "LuaPlugins",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .testTarget(name: "XMLRPCTests", dependencies: ["XMLRPC"], swiftSettings: strict),
        .testTarget(name: "RenderTrackerTests", dependencies: ["RenderTracker"], swiftSettings: strict),
        .testTarget(name: "FarmSimulationTests", dependencies: ["FarmSimulation", "XMLRPC"], swiftSettings: strict),
        .testTarget(
            name: "LuaPluginsTests",
            dependencies: ["LuaPlugins", "RenderTracker", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "RenderTrackerServerTests",
            dependencies: [
                "RenderTrackerServer",
                "RenderReplay",
                "LuaPlugins",
                "XMLRPC",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            exclude: ["Clients"],
            swiftSettings: strict
        ),
    ],
    swiftLanguageModes: [.v6]
)
