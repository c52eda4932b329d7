import Foundation
import MediaOpsDomain

extension AssetsController {
    struct UploadPage {
        var values: [String: String]
        var errors: [String: String]
        var summary: String?
        var fileHelp: String
        var accept: String
        var folders: [String]
    }
}
