import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A fake systemd notify socket (AF_UNIX, SOCK_DGRAM) that records every datagram with its arrival time,
/// as sd_notify(3) sends them.
final class NotifySocket: @unchecked Sendable {
    struct Datagram {
        let at: Date
        let text: String
        var assignments: [String] { text.split(separator: "\n").map(String.init) }
        func has(_ line: String) -> Bool { assignments.contains(line) }
        var status: String? { assignments.first { $0.hasPrefix("STATUS=") }.map { String($0.dropFirst(7)) } }
    }

    let path: String
    private let descriptor: Int32
    private let lock = NSLock()
    private var received: [Datagram] = []
    private var closed = false
    private let done = DispatchSemaphore(value: 0)

    init() throws {
        path = "/tmp/slad-notify-\(UUID().uuidString.prefix(8)).sock"
        descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        guard descriptor >= 0 else { throw DaemonProcess.Failure("socket: errno \(errno)") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in path.utf8.enumerated() { buffer[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0 else { throw DaemonProcess.Failure("bind \(path): errno \(errno)") }
        var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let thread = Thread { [self] in receive() }
        thread.start()
    }

    private func receive() {
        var buffer = [UInt8](repeating: 0, count: 8192)
        while !lock.withLock({ closed }) {
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                let datagram = Datagram(at: Date(), text: String(decoding: buffer[0..<count], as: UTF8.self))
                lock.withLock { received.append(datagram) }
            }
        }
        done.signal()
    }

    var datagrams: [Datagram] { lock.withLock { received } }

    func close() {
        lock.withLock { closed = true }
        done.wait()
        Glibc.close(descriptor)
        unlink(path)
    }

    /// The environment a service manager would give: NOTIFY_SOCKET, and WATCHDOG_USEC when asked.
    func environment(watchdogMicroseconds: Int? = nil) -> [String: String] {
        var environment = ["NOTIFY_SOCKET": path]
        if let watchdogMicroseconds { environment["WATCHDOG_USEC"] = "\(watchdogMicroseconds)" }
        return environment
    }
}
