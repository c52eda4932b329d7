extension StringProtocol {
    /// The text without white space (Unicode's, line breaks included) at
    /// either end. Foundation's `trimmingCharacters(in:)` bridges through
    /// NSString, which showed in reading every cell of a large export file;
    /// most cells have nothing to trim and are returned as they are.
    public var trimmed: String {
        let scalars = unicodeScalars
        if let first = scalars.first, let last = scalars.last, !first.properties.isWhitespace, !last.properties.isWhitespace { return String(self) }
        var start = scalars.startIndex, end = scalars.endIndex
        while start < end, scalars[start].properties.isWhitespace { start = scalars.index(after: start) }
        while end > start, scalars[scalars.index(before: end)].properties.isWhitespace { end = scalars.index(before: end) }
        var text = String.UnicodeScalarView()
        text.append(contentsOf: scalars[start..<end])
        return String(text)
    }
}
