@testable import RenderTrackerServer
import Testing

/// `/events`' query string, read as the monitor page's `URLSearchParams` writes it.
@Suite("Query strings")
struct FormQueryTests {
    @Test("'+' is a space and %XX any byte, in names and values")
    func decodes() throws {
        let query = try FormQuery("project=bob%2Fshot_v003+(2)&cursor=12&caf%C3%A9=caf%C3%A9&flag")
        #expect(query.pairs.map(\.name) == ["project", "cursor", "café", "flag"])
        #expect(query.pairs.map(\.value) == ["bob/shot_v003 (2)", "12", "café", ""])
        #expect(try FormQuery("project=a%2Bb").pairs.first?.value == "a+b", "an encoded + stays a +")
    }

    @Test("a broken %-escape or bytes that are not UTF-8 are refused, naming the parameter", arguments: [
        ("project=50%", "value of project"), ("project=%4", "value of project"), ("project=%zz", "value of project"),
        ("pro%jject=1", "name"), ("project=%FF%FE", "value of project"),
    ])
    func refuses(_ query: String, _ part: String) {
        #expect {
            try FormQuery(query[...])
        } throws: { error in
            (error as? FormQueryError)?.message.contains("query's \(part)") == true
        }
    }
}
