import Testing
@testable import RenderTracker

@Suite("Frame statuses")
struct FrameStatusTests {
    @Test(
        "Each status has the wire index and display name of the original tracker",
        arguments: [
            (FrameStatus.waiting, 0, "Waiting"),
            (.generatingIFD, 1, "Generating IFD"),
            (.ifdReady, 2, "IFD Ready"),
            (.rendering, 3, "Rendering"),
            (.downloading, 4, "Downloading"),
            (.done, 5, "Done"),
            (.error, 6, "Error"),
        ])
    func indexAndName(status: FrameStatus, index: Int, name: String) {
        #expect(status.rawValue == index)
        #expect(status.name == name)
        #expect(FrameStatus(rawValue: index) == status)
    }

    @Test("There are exactly seven statuses, listed in index order")
    func sevenStatusesInOrder() {
        #expect(FrameStatus.allCases.map(\.rawValue) == Array(0...6))
        #expect(FrameStatus(rawValue: 7) == nil)
        #expect(FrameStatus(rawValue: -1) == nil)
    }

    @Test("Only Done and Error are not active")
    func activeStatuses() {
        #expect(FrameStatus.allCases.filter { !$0.isActive } == [.done, .error])
    }
}
