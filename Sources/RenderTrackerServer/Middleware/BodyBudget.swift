import Hummingbird
import Prometheus
import Synchronization

/// The bytes of request bodies the daemon holds at once, across every connection
/// (`serve --max-held-body-bytes`), so that no number of clients sending large bodies can run it
/// out of memory: before, 17 connections that each sent 29 MiB of a declared 30 MiB body and
/// stopped had it OOM-killed in a 512 MiB cgroup in 2.8 s.
///
/// `RequestBodyMiddleware` takes bytes here as it buffers them (and takes an inflated body's size
/// again) and gives them all back when the request ends, however it ends. A body that does not
/// fit is refused with 503 and `Retry-After`.
///
/// A body's first `ordinaryBodyBytes` may use the whole budget; bytes beyond them only the budget
/// less a quarter (`RPCServerLimits.maxHeldLargeBodyBytes`). Large bodies therefore cannot take the last quarter, which stays for ordinary
/// farm calls (a few hundred bytes; `startedRenderProject` with 30,000 frames is about 1 MiB of
/// XML): while attackers hold every byte large bodies may take, a farm call is still served.
final class BodyBudget: Sendable {
    /// Bytes of bodies held at once, at most.
    let limit: Int
    /// The most bytes beyond a body's first `ordinaryBodyBytes` that may be held at once.
    let largeBodyLimit: Int
    /// How much of one body may use the quarter kept for ordinary calls.
    static let ordinaryBodyBytes = 1 << 20
    private let held = Atomic<Int>(0)
    /// Counts the requests refused (`rendertracker_request_body_refusals_total`).
    private let refusals: Counter

    init(limits: RPCServerLimits, refusals: Counter) {
        limit = limits.maxHeldBodyBytes
        largeBodyLimit = limits.maxHeldLargeBodyBytes
        self.refusals = refusals
    }

    /// Bytes held now.
    var heldBytes: Int { held.load(ordering: .relaxed) }

    /// A new request's share, empty until it takes bytes.
    func hold() -> BodyHold {
        BodyHold(budget: self)
    }

    /// Takes `bytes` more for a body that already holds `bodyHolds`; false (and counted as a
    /// refusal) when they do not fit.
    fileprivate func take(_ bytes: Int, bodyHolds: Int) -> Bool {
        let ceiling = bodyHolds + bytes <= Self.ordinaryBodyBytes ? limit : largeBodyLimit
        var current = held.load(ordering: .relaxed)
        while current + bytes <= ceiling {
            let (exchanged, original) = held.compareExchange(expected: current, desired: current + bytes, ordering: .relaxed)
            if exchanged {
                return true
            }
            current = original
        }
        refusals.increment()
        return false
    }

    fileprivate func give(_ bytes: Int) {
        held.subtract(bytes, ordering: .relaxed)
    }
}

/// One request's bytes in the `BodyBudget`. Used by the request's own task only; the count is
/// atomic because the body's pieces are taken in a `@Sendable` closure.
final class BodyHold: Sendable {
    private let budget: BodyBudget
    private let bytes = Atomic<Int>(0)

    fileprivate init(budget: BodyBudget) {
        self.budget = budget
    }

    /// Takes `count` more bytes, or refuses the request with 503 when they do not fit.
    func take(_ count: Int) throws(HTTPError) {
        guard budget.take(count, bodyHolds: bytes.load(ordering: .relaxed)) else {
            throw HTTPError(
                .serviceUnavailable, headers: [.retryAfter: "5", .connection: "close"],
                message: "the server holds its limit of request bodies at once (\(budget.limit) bytes); retry later")
        }
        bytes.add(count, ordering: .relaxed)
    }

    /// Gives every byte taken back; call it once, when the request has ended.
    func release() {
        budget.give(bytes.exchange(0, ordering: .relaxed))
    }
}
