/// Text as a dictionary or set key compared by its UTF-8 bytes. `String`
/// hashes and compares by canonical equivalence, normalising every non-ASCII
/// key first, which showed in matching 100,000 imported Chinese titles. Keys
/// that come from one platform's export or from the store are the platform's
/// own bytes, so byte equality is the identity that matters.
public struct ExactText: Hashable, Sendable {
    public let text: String

    public init(_ text: String) { self.text = text }

    public static func == (lhs: ExactText, rhs: ExactText) -> Bool {
        lhs.text.utf8.count == rhs.text.utf8.count && lhs.text.utf8.elementsEqual(rhs.text.utf8)
    }

    public func hash(into hasher: inout Hasher) {
        var text = text
        text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}
