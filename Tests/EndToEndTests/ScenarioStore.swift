import RenderTrackerServer
import RenderTrackerTesting

/// The stores a client scenario is run on: the default in-memory store, and PostgreSQL, where
/// every write waits for its place in the shared log and every answer comes from the state the
/// daemon builds by applying that log. A scenario that passes on one and not the other has found
/// a write or a read that goes around the pipeline.
enum ScenarioStore: String, CaseIterable, Sendable, CustomStringConvertible {
    case memory
    case postgres

    var description: String { rawValue }

    /// `configuration` on this store: a new database of the shared test cluster for PostgreSQL.
    func applied(to configuration: RenderTrackerConfiguration) async throws -> RenderTrackerConfiguration {
        var configuration = configuration
        if self == .postgres {
            configuration.store = .postgres(url: try await PostgresServer.shared().makeDatabase(prefix: "scenario"))
        }
        return configuration
    }
}
