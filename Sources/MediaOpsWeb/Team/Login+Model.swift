import Foundation
import MediaOpsDomain

extension AuthController {
    struct LoginPage {
        var email: String
        var next: String
        var error: String?
    }
}
