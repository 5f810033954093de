import Testing
@testable import RenderTracker

@Suite("Fraction.normalized")
struct FractionTests {
    @Test(
        "Fractions within 0...1 are kept as sent",
        arguments: [0.0, 0.01, 0.07, 0.5, 0.98, 0.99, 1.0])
    func inRangeKept(value: Double) {
        #expect(Fraction.normalized(value) == value)
    }

    @Test(
        "Values above 1 up to 100 are percentages",
        arguments: [(100.0, 1.0), (50.0, 0.5), (2.0, 0.02), (99.0, 0.99), (12.5, 0.125)])
    func percentages(value: Double, expected: Double) throws {
        let normalized = try #require(Fraction.normalized(value))
        #expect(abs(normalized - expected) < 1e-12)
    }

    @Test("Values above 100 clamp to 1", arguments: [100.5, 101.0, 250.0, 1e300])
    func aboveHundredClamps(value: Double) {
        #expect(Fraction.normalized(value) == 1)
    }

    @Test("Negative values clamp to 0", arguments: [-0.0001, -0.5, -1.0, -100.0, -1e300])
    func negativeClamps(value: Double) {
        #expect(Fraction.normalized(value) == 0)
    }

    @Test(
        "NaN and infinities carry no progress",
        arguments: [Double.nan, .signalingNaN, .infinity, -.infinity])
    func nonFiniteIsNil(value: Double) {
        #expect(Fraction.normalized(value) == nil)
    }
}
