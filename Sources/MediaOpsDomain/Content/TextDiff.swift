/// A readable difference between two texts, character by character so that
/// Chinese (which has no spaces between words) diffs as precisely as English.
public enum TextDiff {
    public enum Kind: String, Sendable, Codable { case same, added, removed }

    public struct Segment: Sendable, Equatable {
        public var kind: Kind
        public var text: String
    }

    public static func segments(from old: String, to new: String) -> [Segment] {
        let before = Array(old), after = Array(new)
        let difference = after.difference(from: before)
        var removed = Set<Int>(), inserted = Set<Int>()
        for change in difference {
            switch change {
            case .remove(let offset, _, _): removed.insert(offset)
            case .insert(let offset, _, _): inserted.insert(offset)
            }
        }
        var segments: [Segment] = []
        func append(_ kind: Kind, _ character: Character) {
            if let last = segments.last, last.kind == kind { segments[segments.count - 1].text.append(character) }
            else { segments.append(Segment(kind: kind, text: String(character))) }
        }
        var i = 0, j = 0
        while i < before.count || j < after.count {
            if i < before.count, removed.contains(i) { append(.removed, before[i]); i += 1; continue }
            if j < after.count, inserted.contains(j) { append(.added, after[j]); j += 1; continue }
            if i < before.count, j < after.count { append(.same, after[j]); i += 1; j += 1; continue }
            // Only reachable if the difference is inconsistent; keep the rest visible.
            if i < before.count { append(.removed, before[i]); i += 1 } else { append(.added, after[j]); j += 1 }
        }
        return segments
    }
}
