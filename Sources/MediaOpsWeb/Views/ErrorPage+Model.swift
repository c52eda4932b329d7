struct ErrorPageModel {
    var status: Int
    var heading: String
    var message: String
    var requestID: String
    var signedIn: Bool
}
