import Foundation

/// Where asset bytes live, by key (the SHA-256 of the bytes). The library talks
/// only to this protocol, so a server can keep files on its own disk
/// (`LocalAssetStorage`) or, later, in an S3-compatible bucket.
///
/// Uploads are spooled to `stagingDirectory` first and checked there; only a
/// file that passed every check is handed to `put`, which takes it over.
public protocol AssetStorage: Sendable {
    /// A local folder for uploads being received. For a local store it sits on
    /// the same volume, so `put` is a rename rather than a copy.
    var stagingDirectory: URL { get }

    /// Stores the staged file under `key` and removes the staged file. Returns
    /// false when the key already held bytes (same hash, same bytes): the store
    /// keeps one copy, and a caller that gets false must not delete it on failure.
    @discardableResult
    func put(key: String, stagedFile: URL) async throws -> Bool

    /// The stored bytes (or only `range` of them, for a browser seeking in a
    /// video) as a stream of chunks, or nil when the key is unknown. The range
    /// must lie within the object; `StoredObject.totalSize` tells its full size.
    func get(key: String, range: ClosedRange<Int64>?) async throws -> StoredObject?

    /// The full size of the stored bytes, or nil when the key is unknown.
    func size(key: String) async throws -> Int64?

    /// Removes the bytes; a missing key is not an error.
    func delete(key: String) async throws
}

/// Bytes read back from a store: the size up front (for Content-Length) and the
/// chunks as they are read, so a large video never sits whole in memory.
public struct StoredObject: Sendable {
    /// The number of bytes `chunks` yields.
    public var size: Int64
    /// The size of the whole object (differs from `size` for a range).
    public var totalSize: Int64
    public var chunks: AsyncThrowingStream<Data, any Error>

    public init(size: Int64, totalSize: Int64, chunks: AsyncThrowingStream<Data, any Error>) {
        self.size = size
        self.totalSize = totalSize
        self.chunks = chunks
    }

    /// All the bytes at once: for tests and small files.
    public func collect() async throws -> Data {
        var data = Data()
        data.reserveCapacity(Int(size))
        for try await chunk in chunks { data.append(chunk) }
        return data
    }
}

extension AssetStorage {
    /// All of the stored bytes as a stream.
    public func get(key: String) async throws -> StoredObject? {
        try await get(key: key, range: nil)
    }

    /// Stores bytes already in memory (tests, the demo workspace).
    @discardableResult
    public func put(key: String, data: Data) async throws -> Bool {
        try FileManager.default.createDirectory(at: stagingDirectory, withIntermediateDirectories: true)
        let staged = stagingDirectory.appendingPathComponent("mem-" + UUID().uuidString.lowercased())
        try data.write(to: staged)
        do {
            return try await put(key: key, stagedFile: staged)
        } catch {
            try? FileManager.default.removeItem(at: staged)
            throw error
        }
    }
}

/// A storage key that is not a lowercase hex digest; refused so no key can
/// name a path outside the store.
public struct InvalidStorageKey: Error, Sendable, Equatable {
    public var key: String
    public init(key: String) { self.key = key }
}

/// A byte range outside the stored object.
public struct InvalidRange: Error, Sendable, Equatable {
    public var range: ClosedRange<Int64>
    public var size: Int64
    public init(range: ClosedRange<Int64>, size: Int64) {
        self.range = range
        self.size = size
    }
}
