import Foundation

/// Platforms disagree on whether ids and codes are JSON strings or numbers
/// (WeChat's publish_id is documented as a string and sent as a number by
/// some SDKs); every connector reads them through these.
public enum JSONLenient {
    public static func int(_ value: Any?) -> Int? {
        if let value = value as? Int { return value }
        if let value = value as? String { return Int(value) }
        if let value = value as? Double { return Int(value) }
        return nil
    }

    public static func string(_ value: Any?) -> String? {
        if let value = value as? String { return value }
        if let value = value as? Int { return String(value) }
        if let value = value as? Int64 { return String(value) }
        if let value = value as? Double { return String(Int64(value)) }
        return nil
    }
}
