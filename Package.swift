// swift-tools-version:6.1
import PackageDescription

// Linux is the platform: the daemon, its tests and CI run on Debian (system libraries from apt:
// libexpat, Lua 5.4, zlib). Nothing is kept building on Apple platforms, so none is declared.

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let logging: Target.Dependency = .product(name: "Logging", package: "swift-log")

let package = Package(
    name: "rendertracker",
    products: [
        .executable(name: "rendertracker", targets: ["rendertracker"]),
        .library(name: "RPC", targets: ["RPC"]),
        .library(name: "XMLRPC", targets: ["XMLRPC"]),
        .library(name: "RenderTracker", targets: ["RenderTracker"]),
        .library(name: "LuaHost", targets: ["LuaHost"]),
        .library(name: "LuaPlugins", targets: ["LuaPlugins"]),
        .library(name: "RenderLog", targets: ["RenderLog"]),
        .library(name: "RenderTrackerService", targets: ["RenderTrackerService"]),
        .library(name: "SQLiteStore", targets: ["SQLiteStore"]),
        .library(name: "PostgresStore", targets: ["PostgresStore"]),
        .library(name: "RenderTrackerServer", targets: ["RenderTrackerServer"]),
        .library(name: "RenderTrackerClient", targets: ["RenderTrackerClient"]),
        .library(name: "RenderReplay", targets: ["RenderReplay"]),
        .library(name: "FarmSimulation", targets: ["FarmSimulation"]),
        .library(name: "RenderScenarios", targets: ["RenderScenarios"]),
        // The test kit: a running daemon, child processes, a webhook receiver, a Prometheus text reader.
        .library(name: "RenderTrackerTesting", targets: ["RenderTrackerTesting"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/adam-fowler/compress-nio.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        // The store several daemons share (`--store postgres://...`).
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        // TLS for the daemon, through Hummingbird's HummingbirdTLS (which depends on it).
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        // `serve`'s environment variables and YAML configuration file (Hummingbird depends on it too).
        .package(url: "https://github.com/apple/swift-configuration.git", from: "1.4.0", traits: ["YAML"]),
    ],
    targets: [
        // MARK: C libraries
        // libexpat, the streaming XML parser under Python's and xmlrpc-c's XML-RPC.
        .systemLibrary(name: "CExpat", pkgConfig: "expat", providers: [.apt(["libexpat1-dev"])]),
        // Lua 5.4, Debian's liblua5.4-dev; only CLuaShim touches it.
        .systemLibrary(name: "CLua", pkgConfig: "lua5.4", providers: [.apt(["liblua5.4-dev"])]),
        // The C side of the Lua boundary: capped allocator, instruction and time budget, protected
        // calls, values passed as bytes, so no Lua error (longjmp) ever crosses a Swift frame.
        .target(name: "CLuaShim", dependencies: ["CLua"]),

        // MARK: Build
        // The version and commit this binary was built from, written by BuildInfoPlugin from git.
        .target(name: "BuildInfo", swiftSettings: strict, plugins: ["BuildInfoPlugin"]),
        .plugin(name: "BuildInfoPlugin", capability: .buildTool()),

        // MARK: Protocol
        // RPC without a wire format or a domain: values, faults, methods, typed parameters, the
        // dispatcher and its observers, system.*, and JSON-RPC with its JSON codec.
        .target(name: "RPC", swiftSettings: strict),
        // The XML-RPC codec on libexpat.
        .target(name: "XMLRPC", dependencies: ["RPC", "CExpat"], swiftSettings: strict),

        // MARK: Model
        // Projects, frames, events, estimate. Pure Swift, no I/O, injectable clock.
        .target(
            name: "RenderTracker",
            dependencies: [.product(name: "HeapModule", package: "swift-collections"), .product(name: "DequeModule", package: "swift-collections")],
            swiftSettings: strict),

        // MARK: Lua
        // A generic sandboxed Lua host: a state, values, the byte codec, limits, host-function tables.
        .target(name: "LuaHost", dependencies: ["CLuaShim"], swiftSettings: strict),
        // Studio plugins in sandboxed Lua: naming, estimate, event hooks, notifications.
        .target(
            name: "LuaPlugins",
            dependencies: ["LuaHost", "RenderTracker", "BuildInfo", logging, .product(name: "DequeModule", package: "swift-collections")],
            swiftSettings: strict
        ),

        // MARK: The tracker as a service
        // Render logs: the JSON Lines format, its reader and the recorder.
        .target(name: "RenderLog", dependencies: ["RPC", "RenderTracker", logging], swiftSettings: strict),
        // The tracker behind its lock: the one write pipeline, the method table, the estimate seam,
        // the change feed, plugins and stall checks. No network.
        .target(
            name: "RenderTrackerService",
            dependencies: ["RPC", "RenderTracker", "LuaHost", "LuaPlugins", "RenderLog", logging],
            swiftSettings: strict
        ),
        // What both durable stores write: commands, frame logs and evidence as bytes, and what
        // changed since the last checkpoint.
        .target(name: "StoreCoding", dependencies: ["RenderTrackerService", "RenderTracker"], swiftSettings: strict),
        // The durable store: a journal of writes (crash-safe before each answer) and checkpoints into
        // SQLite (GRDB, WAL), past renders and their reports. Debian's libsqlite3-dev.
        .target(
            name: "SQLiteStore",
            dependencies: ["StoreCoding", "RenderTrackerService", "RenderTracker", logging, .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strict
        ),
        // The store several daemons share: a log of writes in one order, checkpoints and past
        // renders in PostgreSQL (postgres-nio), LISTEN/NOTIFY between the daemons.
        .target(
            name: "PostgresStore",
            dependencies: [
                "StoreCoding", "RenderTrackerService", "RenderTracker", "RenderLog", logging,
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "DequeModule", package: "swift-collections"),
            ],
            swiftSettings: strict
        ),
        // HTTP only: routes, middleware, the event stream, the monitor page, /metrics, services.
        .target(
            name: "RenderTrackerServer",
            dependencies: [
                "RenderTrackerService", "SQLiteStore", "PostgresStore", "RPC", "XMLRPC", "RenderTracker", "LuaPlugins", "RenderLog", "BuildInfo", logging,
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            // The monitor's files, embedded by Monitor/embed.py into MonitorAssets.swift.
            exclude: ["Monitor"],
            swiftSettings: strict
        ),
        // Talking to a tracker: XML-RPC and JSON-RPC over one HTTP client, multicall, typed answers.
        .target(name: "RenderTrackerClient", dependencies: ["RPC", "XMLRPC", "RenderTracker"], swiftSettings: strict),

        // MARK: Virtual time
        // Render-log replay: a recorded session sent again, in virtual time in-process or to a live tracker.
        .target(
            name: "RenderReplay",
            dependencies: ["RenderTrackerService", "RenderTrackerClient", "RenderLog", "RPC", "RenderTracker", "LuaPlugins", logging],
            swiftSettings: strict
        ),
        // A render farm in virtual time making the calls real HQueue clients make. Pure Swift.
        .target(
            name: "FarmSimulation",
            dependencies: ["RPC", .product(name: "HeapModule", package: "swift-collections")],
            swiftSettings: strict
        ),
        // Scenario scripts in Lua: a simulated farm driving the in-process tracker, with expectations.
        .target(
            name: "RenderScenarios",
            dependencies: [
                "FarmSimulation", "RenderTrackerService", "RenderLog", "RPC", "RenderTracker", "LuaHost", "LuaPlugins", logging,
            ],
            swiftSettings: strict
        ),

        // MARK: The command line
        // `serve`, `call`, `status`, `watch`, `plugins`, `replay`, `scenario`.
        .executableTarget(
            name: "rendertracker",
            dependencies: [
                "RenderTrackerServer", "RenderTrackerClient", "RenderReplay", "RenderScenarios",
                "RenderLog", "RPC", "RenderTracker", "LuaHost", "LuaPlugins", "BuildInfo", logging,
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                // `serve` runs the Hummingbird application and names NIO's bind error.
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),

        // MARK: Benchmarks
        // The hand-written JSON codec and Base64 against Foundation's (Benchmarks/codecs.sh).
        .executableTarget(name: "CodecBenchmark", dependencies: ["RPC"], path: "Benchmarks/CodecBenchmark", swiftSettings: strict),

        // MARK: Tests
        .target(
            name: "RenderTrackerTesting",
            dependencies: [
                "RenderTrackerServer", "RenderTrackerService", "RenderTrackerClient", "RenderLog", "RPC", "RenderTracker", "LuaPlugins",
                logging,
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .testTarget(name: "RPCTests", dependencies: ["RPC"], swiftSettings: strict),
        .testTarget(name: "XMLRPCTests", dependencies: ["XMLRPC", "RPC"], swiftSettings: strict),
        .testTarget(name: "RenderTrackerTests", dependencies: ["RenderTracker"], swiftSettings: strict),
        .testTarget(name: "LuaHostTests", dependencies: ["LuaHost"], swiftSettings: strict),
        .testTarget(name: "LuaPluginsTests", dependencies: ["LuaPlugins", "LuaHost", "RenderTracker", logging], swiftSettings: strict),
        .testTarget(name: "RenderLogTests", dependencies: ["RenderLog", "RPC", "RenderTracker"], swiftSettings: strict),
        .testTarget(
            name: "RenderTrackerServiceTests",
            dependencies: ["RenderTrackerService", "RenderLog", "RPC", "RenderTracker", "LuaPlugins", logging],
            swiftSettings: strict
        ),
        .testTarget(
            name: "PostgresStoreTests",
            dependencies: ["PostgresStore", "RenderTrackerService", "RenderTrackerTesting", "RenderTracker", "RPC", logging],
            swiftSettings: strict
        ),
        .testTarget(
            name: "SQLiteStoreTests",
            dependencies: ["SQLiteStore", "RenderTrackerService", "RenderTracker", "RPC", logging],
            resources: [.copy("Fixtures")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "RenderTrackerServerTests",
            dependencies: [
                "RenderTrackerServer", "RenderTrackerService", "RenderTrackerTesting", "RenderTrackerClient", "RenderLog", "RPC",
                "RenderTracker", "LuaHost", "LuaPlugins", "BuildInfo", logging,
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "RenderTrackerClientTests",
            dependencies: ["RenderTrackerClient", "RenderTrackerTesting", "RenderTrackerServer", "RPC", "RenderTracker"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "RenderReplayTests",
            dependencies: [
                "RenderReplay", "RenderTrackerTesting", "RenderTrackerServer", "RenderTrackerService", "RenderLog", "RPC", "RenderTracker",
            ],
            swiftSettings: strict
        ),
        .testTarget(name: "FarmSimulationTests", dependencies: ["FarmSimulation", "RPC"], swiftSettings: strict),
        // The `rendertracker` executable, and the real clients (Python's xmlrpc.client, Selenium
        // driving Chromium) against the daemon.
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["RenderTrackerTesting", "RenderTrackerServer", "RenderTrackerClient", "RenderLog", "RPC", "RenderTracker"],
            exclude: ["Clients"],
            swiftSettings: strict
        ),
    ],
    swiftLanguageModes: [.v6]
)
