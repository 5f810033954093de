import CExpat

/// Runs one document through one expat parser and feeds its events to a `DocumentReader`.
enum ExpatSession {
    /// expat's user data. The C callbacks cannot capture anything, so they reach the reader
    /// through this; it also keeps the first failure, since after `XML_StopParser` expat
    /// itself reports only "aborted". It lives on the caller's stack for one parse.
    private struct Context {
        let parser: XML_Parser
        var reader: DocumentReader
        var failure: XMLRPCError?
    }

    /// One random hash salt per process instead of expat's per-parser one, which costs a
    /// getrandom() system call for every document. Hash-flooding protection holds as long as
    /// the salt stays unknown to clients, which a process-wide value ensures just as well
    /// (Python randomises its string hashing per process for the same reason).
    private static let hashSalt = UInt.random(in: 1...UInt.max)

    /// Parses `bytes` completely and returns the reader with its results, or throws the first
    /// structural, security or syntax error.
    static func read(_ bytes: UnsafeRawBufferPointer, with reader: DocumentReader) throws(XMLRPCError) -> DocumentReader {
        // No forced encoding: expat then honours an encoding declaration or BOM and reads a
        // document that has neither as UTF-8, which is what XML-RPC clients send.
        guard let parser = XML_ParserCreate(nil) else {
            throw XMLRPCError(kind: .malformed, message: "could not create an XML parser (out of memory)")
        }
        defer { XML_ParserFree(parser) }
        var context = Context(parser: parser, reader: reader)
        let failure = withUnsafeMutablePointer(to: &context) { pointer in
            configure(parser, context: pointer)
            return feed(bytes, to: parser, context: pointer)
        }
        if let failure { throw failure }
        return context.reader
    }

    private static func configure(_ parser: XML_Parser, context: UnsafeMutablePointer<Context>) {
        XML_SetUserData(parser, UnsafeMutableRawPointer(context))
        XML_SetHashSalt(parser, hashSalt)
        // Parameter entities could pull in external DTD content; never parse them.
        XML_SetParamEntityParsing(parser, XML_PARAM_ENTITY_PARSING_NEVER)
        XML_SetElementHandler(
            parser,
            { userData, name, _ in
                guard let context = ExpatSession.live(userData), let name else { return }
                do throws(XMLRPCError) {
                    try context.pointee.reader.startElement(name)
                } catch {
                    ExpatSession.stop(context, with: error)
                }
            },
            { userData, _ in
                guard let context = ExpatSession.live(userData) else { return }
                do throws(XMLRPCError) {
                    try context.pointee.reader.endElement()
                } catch {
                    ExpatSession.stop(context, with: error)
                }
            })
        XML_SetCharacterDataHandler(parser) { userData, characters, length in
            guard let context = ExpatSession.live(userData), let characters, length > 0 else { return }
            let bytes = UnsafeRawPointer(characters).assumingMemoryBound(to: UInt8.self)
            do throws(XMLRPCError) {
                try context.pointee.reader.characters(UnsafeBufferPointer(start: bytes, count: Int(length)))
            } catch {
                ExpatSession.stop(context, with: error)
            }
        }
        // Any DOCTYPE is refused before its internal subset is read, which is what stops
        // billion-laughs and external-entity documents before a single entity is defined.
        XML_SetStartDoctypeDeclHandler(parser) { userData, doctypeName, _, _, _ in
            guard let context = ExpatSession.live(userData) else { return }
            let name = doctypeName.map { ElementName.displayName($0) } ?? ""
            ExpatSession.stop(
                context,
                with: XMLRPCError(kind: .forbiddenDeclaration, message: "DOCTYPE declarations are not allowed (<!DOCTYPE \(name)>)"))
        }
        // Unreachable while DOCTYPE is refused; kept so entity declarations stay refused
        // even if the handler above is ever changed.
        XML_SetEntityDeclHandler(parser) { userData, entityName, _, _, _, _, _, _, _ in
            guard let context = ExpatSession.live(userData) else { return }
            let name = entityName.map { ElementName.displayName($0) } ?? ""
            ExpatSession.stop(
                context,
                with: XMLRPCError(kind: .forbiddenDeclaration, message: "entity declarations are not allowed (<!ENTITY \(name)>)"))
        }
        // Returning an error makes expat refuse to load any external entity.
        XML_SetExternalEntityRefHandler(parser) { _, _, _, _, _ in 0 }
    }

    /// Runs the bytes through expat; returns the failure, if any.
    private static func feed(
        _ bytes: UnsafeRawBufferPointer, to parser: XML_Parser, context: UnsafeMutablePointer<Context>
    ) -> XMLRPCError? {
        // XML_Parse takes an Int32 length, so very large inputs go in slices.
        let sliceLimit = Int(Int32.max)
        let base = bytes.baseAddress?.assumingMemoryBound(to: CChar.self)
        var offset = 0
        repeat {
            let count = min(bytes.count - offset, sliceLimit)
            let isFinal = offset + count == bytes.count
            let status = XML_Parse(parser, base.map { $0 + offset }, Int32(count), isFinal ? 1 : 0)
            if status != XML_STATUS_OK {
                return context.pointee.failure ?? syntaxError(parser)
            }
            offset += count
        } while offset < bytes.count
        return context.pointee.failure
    }

    /// The context, unless the parse already failed: expat may deliver a few more events
    /// after XML_StopParser, and they are ignored.
    private static func live(_ userData: UnsafeMutableRawPointer?) -> UnsafeMutablePointer<Context>? {
        guard let context = userData?.assumingMemoryBound(to: Context.self), context.pointee.failure == nil else {
            return nil
        }
        return context
    }

    /// Records the first error with the place it happened and aborts the parse.
    private static func stop(_ context: UnsafeMutablePointer<Context>, with error: XMLRPCError) {
        guard context.pointee.failure == nil else { return }
        let parser = context.pointee.parser
        var located = error
        located.message += " at line \(XML_GetCurrentLineNumber(parser)), column \(XML_GetCurrentColumnNumber(parser))"
        context.pointee.failure = located
        XML_StopParser(parser, XML_FALSE)
    }

    /// expat's own diagnosis, with its line and (zero-based, as expat and Python print it) column.
    private static func syntaxError(_ parser: XML_Parser) -> XMLRPCError {
        let code = XML_GetErrorCode(parser)
        let reason = XML_ErrorString(code).map { String(cString: $0) } ?? "unknown error \(code.rawValue)"
        return XMLRPCError(
            kind: .malformed,
            message:
                "malformed XML: \(reason) at line \(XML_GetCurrentLineNumber(parser)), column \(XML_GetCurrentColumnNumber(parser))"
        )
    }
}
