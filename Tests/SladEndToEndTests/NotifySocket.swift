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
        /// The sender's pid, from the SCM_CREDENTIALS the kernel attaches (as systemd reads it to enforce
        /// NotifyAccess=main); nil when none came.
        let pid: pid_t?
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
        var on: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_PASSCRED, &on, socklen_t(MemoryLayout<Int32>.size))
        var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let thread = Thread { [self] in receive() }
        thread.start()
    }

    private func receive() {
        var buffer = [UInt8](repeating: 0, count: 8192)
        // Room for one control message carrying a struct ucred (CMSG_SPACE(12) is 32 on 64-bit Linux).
        var control = [UInt8](repeating: 0, count: 64)
        while !lock.withLock({ closed }) {
            var pid: pid_t?
            let count = buffer.withUnsafeMutableBytes { data -> Int in
                control.withUnsafeMutableBytes { controlBytes -> Int in
                    var vector = iovec(iov_base: data.baseAddress, iov_len: data.count)
                    return withUnsafeMutablePointer(to: &vector) { vectorPointer -> Int in
                        var message = msghdr()
                        message.msg_iov = vectorPointer
                        message.msg_iovlen = 1
                        message.msg_control = controlBytes.baseAddress
                        message.msg_controllen = controlBytes.count
                        let received = recvmsg(descriptor, &message, 0)
                        pid = Self.senderPID(controlBytes, length: Int(message.msg_controllen))
                        return received
                    }
                }
            }
            if count > 0 {
                let datagram = Datagram(at: Date(), text: String(decoding: buffer[0..<count], as: UTF8.self), pid: pid)
                lock.withLock { received.append(datagram) }
            }
        }
        done.signal()
    }

    /// Reads the pid of an SCM_CREDENTIALS control message. Swift does not import the CMSG_* macros, so the
    /// header is read by hand: cmsghdr is {size_t len; int level; int type} and its data follows, aligned to size_t.
    /// Glibc declares `struct ucred` and SCM_CREDENTIALS only under _GNU_SOURCE, which Swift's import does
    /// not define: SCM_CREDENTIALS is 2 on Linux, and ucred starts with the pid (then uid, gid: 12 bytes).
    static func senderPID(_ control: UnsafeMutableRawBufferPointer, length: Int) -> pid_t? {
        let scmCredentials: Int32 = 2, ucredSize = 12
        let header = MemoryLayout<Int>.size + 2 * MemoryLayout<Int32>.size
        guard length >= header + ucredSize else { return nil }
        let level = control.load(fromByteOffset: MemoryLayout<Int>.size, as: Int32.self)
        let type = control.load(fromByteOffset: MemoryLayout<Int>.size + 4, as: Int32.self)
        guard level == SOL_SOCKET, type == scmCredentials else { return nil }
        let dataOffset = (header + MemoryLayout<Int>.size - 1) / MemoryLayout<Int>.size * MemoryLayout<Int>.size
        return control.loadUnaligned(fromByteOffset: dataOffset, as: pid_t.self)
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
