import Hummingbird
import RenderTracker
import RenderTrackerService

/// `GET /preview?project=NAME&frame=N`: the thumbnail of a Done frame's image (`PreviewImages`),
/// or 404 with the reason as text, which the page shows as its placeholder. Only with
/// `serve --preview-root`; without it, 404 "previews are off".
struct PreviewRoute: Sendable {
    let images: PreviewImages?
    let tracker: SharedTracker

    func respond(to request: Request) async throws -> Response {
        guard let images else { return Self.unavailable("previews are off (serve --preview-root DIR)") }
        let query: FormQuery
        do {
            query = try FormQuery(request.uri.query.map { $0[...] } ?? "")
        } catch {
            throw HTTPError(.badRequest, message: error.message)
        }
        let values = Dictionary(query.pairs, uniquingKeysWith: { first, _ in first })
        guard let project = values["project"], let frameText = values["frame"], let number = Int(frameText) else {
            throw HTTPError(.badRequest, message: "preview needs ?project=NAME&frame=N")
        }
        let frame = tracker.read { $0.project(named: project)?.frame(number) }
        guard let frame, frame.status == .done, let imagePath = frame.imagePath else {
            return Self.unavailable("no preview until the frame is Done with an image path")
        }
        switch await images.preview(of: imagePath) {
        case let .image(bytes, contentType):
            return Response(status: .ok, headers: [.contentType: contentType, .cacheControl: "no-cache"], body: .init(byteBuffer: bytes))
        case let .unavailable(reason):
            return Self.unavailable(reason)
        }
    }

    static func unavailable(_ reason: String) -> Response {
        Response(status: .notFound, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: .init(string: reason)))
    }
}
