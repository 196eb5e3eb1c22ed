import Hummingbird
import NIOCore

/// The request context of the public listener: Hummingbird's core storage and the peer's address (the
/// rate limit is per client address).
public struct PublicRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public let peer: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        peer = source.channel.remoteAddress
    }

    /// The form is a few dozen bytes; `ActionPages` refuses larger bodies with 413 itself.
    public var maxUploadSize: Int { 4 * 1024 }
}
