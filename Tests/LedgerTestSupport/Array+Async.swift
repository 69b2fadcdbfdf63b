/// Sequential async map and filter, for tests that ask each of a few clients something.
extension Array {
    public func asyncMap<T>(_ transform: (Element) async -> T) async -> [T] {
        var results: [T] = []
        for element in self { results.append(await transform(element)) }
        return results
    }

    public func asyncFilter(_ isIncluded: (Element) async -> Bool) async -> [Element] {
        var kept: [Element] = []
        for element in self where await isIncluded(element) { kept.append(element) }
        return kept
    }
}
