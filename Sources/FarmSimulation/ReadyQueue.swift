/// HQueue's queue of ready jobs: a free machine takes the job of the highest priority, first
/// come, first served among equal priorities.
struct ReadyQueue {
    /// Jobs by priority, each list in the order they became ready; `heads` is the next to look at.
    private var jobs: [Int: [Int]] = [:]
    private var heads: [Int: Int] = [:]
    /// Priorities present, highest first.
    private var priorities: [Int] = []

    mutating func append(_ job: Int, priority: Int) {
        if jobs[priority] == nil {
            jobs[priority] = []
            heads[priority] = 0
            priorities.append(priority)
            priorities.sort(by: >)
        }
        jobs[priority, default: []].append(job)
    }

    /// The next job that `isReady` accepts (skipping ones that stopped being ready), removed from the queue.
    mutating func take(where isReady: (Int) -> Bool) -> Int? {
        for priority in priorities {
            guard let list = jobs[priority], var head = heads[priority] else { continue }
            defer { heads[priority] = head }
            while head < list.count {
                let job = list[head]
                head += 1
                if isReady(job) { return job }
            }
        }
        return nil
    }
}
