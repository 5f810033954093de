/// The text a failed mantra leaves: the HQueue job script sends all of it as setFrameError's
/// message, which is how megabyte messages reach the tracker.
enum MantraOutput {
    static func failure(frame: Int, bytes: Int) -> String {
        let ending = "mantra: Error: cannot allocate 12.6 GB for the displacement cache (frame \(frame))\nmantra exited with status 3\n"
        var text = ""
        var tile = 1
        while text.utf8.count + ending.utf8.count < bytes {
            text += "mantra: [\(frame)] tile \(tile) of 256 rendered, 41.2 MB of textures loaded\n"
            tile += 1
        }
        return text + ending
    }
}
