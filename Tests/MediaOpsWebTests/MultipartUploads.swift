import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// A multipart/form-data body built the way browsers and HTTP clients send it.
struct MultipartForm {
    static let boundary = "----MediaOpsBoundary7MA4YWxkTrZu0gW"
    var parts: [(name: String, fileName: String?, contentType: String?, bytes: [UInt8])] = []

    mutating func field(_ name: String, _ value: String) { parts.append((name, nil, nil, Array(value.utf8))) }

    mutating func file(_ bytes: [UInt8], fileName: String, contentType: String = "application/octet-stream", name: String = "file") {
        parts.append((name, fileName, contentType, bytes))
    }

    var contentType: String { "multipart/form-data; boundary=\(Self.boundary)" }

    var body: ByteBuffer {
        var bytes: [UInt8] = []
        for part in parts {
            var head = "--\(Self.boundary)\r\nContent-Disposition: form-data; name=\"\(part.name)\""
            if let fileName = part.fileName { head += "; filename=\"\(fileName)\"" }
            head += "\r\n"
            if let type = part.contentType { head += "Content-Type: \(type)\r\n" }
            head += "\r\n"
            bytes += Array(head.utf8) + part.bytes + Array("\r\n".utf8)
        }
        bytes += Array("--\(Self.boundary)--\r\n".utf8)
        return ByteBuffer(bytes: bytes)
    }

    static func file(_ bytes: [UInt8], name: String, contentType: String = "application/octet-stream", fields: [(String, String)] = []) -> MultipartForm {
        var form = MultipartForm()
        for (key, value) in fields { form.field(key, value) }
        form.file(bytes, fileName: name, contentType: contentType)
        return form
    }
}

extension WebHarness {
    @discardableResult
    func upload(_ form: MultipartForm, token: String?) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: form.contentType]
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await client.execute(uri: "/api/v1/assets", method: .post, headers: headers, body: form.body)
    }

    /// Uploads as the owner and returns the new asset's id.
    func uploadAsset(_ bytes: [UInt8], name: String, fields: [(String, String)] = []) async throws -> String {
        let response = try await upload(.file(bytes, name: name, fields: fields), token: ownerToken)
        #expect(response.status == .created || response.status == .ok, "\(response.status) \(response.text)")
        return try #require(response.json["id"] as? String)
    }
}

extension BrowserSession {
    /// Posts the upload form as a browser does: the CSRF field first, taken from the upload page.
    func upload(_ form: MultipartForm, csrf: Bool = true) async throws -> TestResponse {
        var form = form
        if csrf {
            let token = try #require(try await get("/assets/upload").formToken)
            form.parts.insert(("_csrf", nil, nil, Array(token.utf8)), at: 0)
        }
        return try await harness.client.execute(uri: "/assets", method: .post, headers: [.cookie: cookie, .contentType: form.contentType], body: form.body)
    }
}
