/// What this binary was built from, for `rendertracker --version`, `/healthz`, the
/// `rendertracker_build_info` metric and the webhooks' `User-Agent`: an operator (or a webhook's
/// receiver) can tell which build answers without asking whoever installed it.
///
/// The values come from `git describe --tags --always --dirty` and `git rev-parse HEAD` when the
/// target is built (`Plugins/BuildInfoPlugin`): a tag such as `1.2.0`, `1.2.0-3-gabc1234` three
/// commits after it, the short commit alone before any tag, `-dirty` with uncommitted changes;
/// "unknown" when built outside a git checkout.
public enum BuildInfo {
    public static let version: String = generatedVersion
    public static let commit: String = generatedCommit

    /// `rendertracker/1.2.0`: what the daemon's outgoing requests name themselves.
    public static var userAgent: String { "rendertracker/\(version)" }

    /// `1.2.0 (commit abc1234def56)`: what `--version` prints.
    public static var description: String { "\(version) (commit \(commit))" }
}
