import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL

struct SMTPReply: CustomStringConvertible {
    let code: Int
    let lines: [String]
    var description: String { "\(code) \(lines.joined(separator: " ").prefix(200))" }
}

/// One connection: lines in through an AsyncThrowingStream, commands out, STARTTLS in the middle.
final class SMTPConnection {
    let channel: Channel
    let timeout: Double
    private var lines: AsyncThrowingStream<String, Error>.AsyncIterator

    private init(channel: Channel, lines: AsyncThrowingStream<String, Error>, timeout: Double) {
        self.channel = channel
        self.lines = lines.makeAsyncIterator()
        self.timeout = timeout
    }

    static func open(host: String, port: Int, timeout: Double) async throws -> SMTPConnection {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: String.self, throwing: Error.self)
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.milliseconds(Int64(timeout * 1000)))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(SMTPLineHandler(continuation)) }
            }
            .connect(host: host, port: port).get()
        return SMTPConnection(channel: channel, lines: stream, timeout: timeout)
    }

    func close() { channel.close(promise: nil) }

    /// Sends one command (CRLF added) and waits for its reply. Errors name the stage, never the command
    /// (it may carry credentials).
    func command(_ text: String, stage: String) async throws -> SMTPReply {
        do {
            try await channel.writeAndFlush(ByteBuffer(string: text + "\r\n"))
        } catch {
            // The connection's own error (a failed TLS handshake) says more than the failed write:
            // reading throws it, or says the server closed the connection.
            _ = try await reply(stage: stage)
            throw SMTPClient.Failure(Self.classify(error))
        }
        return try await reply(stage: stage)
    }

    /// One reply, all its lines (`250-…` continues, `250 …` ends), within `timeout` seconds.
    func reply(stage: String) async throws -> SMTPReply {
        let timedOut = NIOLockedValueBox(false)
        let channel = self.channel
        let timer = channel.eventLoop.scheduleTask(in: .milliseconds(Int64(timeout * 1000))) {
            timedOut.withLockedValue { $0 = true }
            channel.close(promise: nil)
        }
        defer { timer.cancel() }
        var text: [String] = []
        while true {
            let next: String?
            do {
                next = try await lines.next()
            } catch {
                throw SMTPClient.Failure(Self.classify(error))
            }
            guard let line = next else {
                let reason = timedOut.withLockedValue { $0 } ? "no reply within \(Int(timeout)) s" : "the server closed the connection"
                throw SMTPClient.Failure(.transient("\(stage): \(reason)"))
            }
            let bytes = Array(line.utf8)
            guard bytes.count >= 3, let code = Int(String(decoding: bytes[0..<3], as: UTF8.self)), (200...599).contains(code),
                  bytes.count == 3 || bytes[3] == UInt8(ascii: " ") || bytes[3] == UInt8(ascii: "-")
            else { throw SMTPClient.Failure(.transient("\(stage): unreadable reply: \(line.prefix(100))")) }
            text.append(bytes.count > 4 ? String(decoding: bytes[4...], as: UTF8.self) : "")
            if bytes.count == 3 || bytes[3] == UInt8(ascii: " ") { return SMTPReply(code: code, lines: text) }
        }
    }

    /// Puts TLS under the connection (after the server's 220 to STARTTLS) and waits for the handshake.
    /// The certificate is verified against `host` (or, for an IP address, against the address).
    func startTLS(context: NIOSSLContext, host: String) async throws {
        let isAddress = (try? SocketAddress(ipAddress: host, port: 0)) != nil
        let channel = self.channel
        do {
            try await channel.eventLoop.submit {
                let handler = try NIOSSLClientHandler(context: context, serverHostname: isAddress ? nil : host)
                try channel.pipeline.syncOperations.addHandler(handler, position: .first)
            }.get()
        } catch let error as ChannelError where error == .ioOnClosedChannel || error == .alreadyClosed {
            // The server (or the network) closed the connection after its 220: worth another try.
            throw SMTPClient.Failure(.transient("TLS: the connection closed before the handshake"))
        } catch {
            throw SMTPClient.Failure(.permanent("TLS: \(error)"))
        }
    }

    /// A failed handshake (certificate, protocol) will fail again: permanent. Other I/O errors: transient.
    static func classify(_ error: any Error) -> SMTPResult {
        if let failure = error as? SMTPClient.Failure { return failure.result }
        if let tls = error as? NIOSSLError, case .handshakeFailed = tls { return .permanent("TLS handshake failed: \(tls)") }
        if error is NIOSSLExtraError { return .permanent("TLS: \(error)") }
        return .transient("connection: \(error)")
    }
}

/// Splits what the server sends into lines (CRLF or LF), for the connection's stream.
final class SMTPLineHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    private let continuation: AsyncThrowingStream<String, Error>.Continuation
    private var pending: [UInt8] = []

    init(_ continuation: AsyncThrowingStream<String, Error>.Continuation) { self.continuation = continuation }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        pending += buffer.readBytes(length: buffer.readableBytes) ?? []
        while let end = pending.firstIndex(of: 10) {
            var line = Array(pending[..<end])
            pending.removeFirst(end + 1)
            if line.last == 13 { line.removeLast() }
            continuation.yield(String(decoding: line, as: UTF8.self))
        }
        if pending.count > 65536 {
            continuation.finish(throwing: SMTPClient.Failure(.transient("a reply line longer than 64 KiB")))
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        continuation.finish()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        continuation.finish(throwing: error)
        context.close(promise: nil)
    }
}
