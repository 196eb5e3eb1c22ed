#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The two elementary functions the classifier needs, from the C library (the standard library has none).
/// Only the math functions are used: the module reads no file and no clock.
enum Math {
    @inline(__always) static func ln(_ x: Double) -> Double { log(x) }
    @inline(__always) static func exponential(_ x: Double) -> Double { exp(x) }
}
