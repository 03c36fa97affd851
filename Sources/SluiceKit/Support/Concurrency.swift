/// Runs `body` over `items` with at most `limit` tasks at once, keeping the input order.
public func concurrentMap<Item: Sendable, Result: Sendable>(
    _ items: [Item], limit: Int, _ body: @escaping @Sendable (Item) async -> Result
) async -> [Result] {
    await withTaskGroup(of: (Int, Result).self) { group in
        var results = [Result?](repeating: nil, count: items.count)
        var next = 0
        func start(_ index: Int) {
            let item = items[index]
            group.addTask { (index, await body(item)) }
        }
        while next < min(max(limit, 1), items.count) {
            start(next)
            next += 1
        }
        while let (index, result) = await group.next() {
            results[index] = result
            if next < items.count {
                start(next)
                next += 1
            }
        }
        return results.compactMap { $0 }
    }
}
