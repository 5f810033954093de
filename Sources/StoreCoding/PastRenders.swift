package import RenderTracker

extension PastRender {
    /// A durable store's answer for a project's past renders: those that ended and are not written
    /// out yet (kept in memory so the history has them at once), then the stored ones, newest
    /// first, at most `limit`; a render in both counts once, as it is in memory.
    package static func newestFirst(
        unwritten: some Sequence<EndedRender>, stored: [PastRender], of project: String, limit: Int
    ) -> [PastRender] {
        let recent = unwritten.filter { ProjectKey($0.project.name) == ProjectKey(project) }
            .map { PastRender($0.project, ending: PastRender.Ending($0.reason)) }
        let ids = Set(recent.map(\.renderID))
        return Array((recent + stored.filter { !ids.contains($0.renderID) }).sorted { $0.renderID > $1.renderID }.prefix(limit))
    }
}
