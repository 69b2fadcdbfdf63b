/// A binary min-heap of scheduled items ordered by (time, scheduling order): the simulator's virtual-time
/// agenda, O(log n) per push and pop.
public struct EventQueue<Item> {
    private var heap: [(at: UInt64, order: UInt64, item: Item)] = []

    public init() {}

    public var isEmpty: Bool { heap.isEmpty }

    public mutating func push(time: UInt64, order: UInt64, _ item: Item) {
        heap.append((time, order, item))
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard Self.before(heap[child], heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    public mutating func pop() -> (at: UInt64, order: UInt64, item: Item)? {
        guard !heap.isEmpty else { return nil }
        heap.swapAt(0, heap.count - 1)
        let first = heap.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < heap.count, Self.before(heap[left], heap[smallest]) { smallest = left }
            if right < heap.count, Self.before(heap[right], heap[smallest]) { smallest = right }
            guard smallest != parent else { break }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
        return first
    }

    private static func before(
        _ a: (at: UInt64, order: UInt64, item: Item),
        _ b: (at: UInt64, order: UInt64, item: Item)
    ) -> Bool {
        (a.at, a.order) < (b.at, b.order)
    }
}
