extension String {
    /// Client text quoted in messages and logs is cut to `limit` characters: a hostile
    /// megabyte would otherwise flood them, and 40 characters identify a value well enough.
    package func clipped(to limit: Int = 40) -> String {
        guard count > limit else { return self }
        return prefix(limit) + "…"
    }
}
