import CHDF5
import Foundation

/// Why an HDF5 file or one of its objects could not be read: names the file, the object
/// (an absolute path inside the file, `/block1_conv1/kernel:0`) and the reason.
public struct HDF5Error: Error, CustomStringConvertible, Equatable {
    public var file: String
    public var object: String
    public var reason: String

    public init(file: String, object: String, reason: String) {
        self.file = file
        self.object = object
        self.reason = reason
    }

    public var description: String { object.isEmpty ? "\(file): \(reason)" : "\(file): \(object): \(reason)" }
}

/// A float dataset read into memory: its shape (HDF5's dimensions, row-major) and values
/// (converted to Float by HDF5 from float16/32/64).
public struct HDF5Dataset: Equatable {
    public var shape: [Int]
    public var values: [Float]

    public init(shape: [Int], values: [Float]) {
        self.shape = shape
        self.values = values
    }
}

/// A read-only HDF5 file over the C library: groups, string attributes and float datasets,
/// addressed by `/`-separated paths from the root. Every failure is an `HDF5Error`; the
/// library's own error printing is switched off.
///
/// Debian's serial HDF5 is not thread-safe, so every call into it holds one process-wide lock.
public final class HDF5File {
    public let path: String
    private let id: hid_t

    /// The kinds of objects a path can name.
    public enum ObjectKind: Equatable, Sendable { case group, dataset, other }

    static let lock = NSRecursiveLock()

    static func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    public init(path: String) throws {
        self.path = path
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw HDF5Error(file: path, object: "", reason: FileManager.default.fileExists(atPath: path)
                            ? "the file is not readable" : "no such file")
        }
        id = try Self.locked {
            _ = invariant_h5_silence_errors()
            guard H5Fis_hdf5(path) > 0 else { throw HDF5Error(file: path, object: "", reason: "not an HDF5 file") }
            let id = H5Fopen(path, invariant_h5f_acc_rdonly(), hid_t(H5P_DEFAULT))
            guard id >= 0 else { throw HDF5Error(file: path, object: "", reason: "HDF5 cannot open the file (truncated or corrupt?)") }
            return id
        }
    }

    deinit { Self.locked { _ = H5Fclose(id) } }

    private func fail(_ object: String, _ reason: String) -> HDF5Error { HDF5Error(file: path, object: object, reason: reason) }

    /// `/a/b` for `a/b`, `b` inside `/a`, and so on.
    public static func join(_ group: String, _ name: String) -> String {
        group == "/" || group.isEmpty ? "/" + name : group + "/" + name
    }

    /// Whether every component of `object` exists (links are checked one level at a time, so a
    /// missing intermediate group is `nil`, not an error).
    public func kind(of object: String) -> ObjectKind? {
        Self.locked {
            var prefix = ""
            for component in object.split(separator: "/") {
                prefix += "/" + component
                guard H5Lexists(id, prefix, hid_t(H5P_DEFAULT)) > 0 else { return nil }
            }
            if prefix.isEmpty { return .group }
            let handle = H5Oopen(id, prefix, hid_t(H5P_DEFAULT))
            guard handle >= 0 else { return nil }
            defer { H5Oclose(handle) }
            switch H5Iget_type(handle) {
            case H5I_GROUP: return .group
            case H5I_DATASET: return .dataset
            default: return .other
            }
        }
    }

    /// The names of a group's members, in HDF5's name order.
    public func members(of group: String) throws -> [String] {
        try Self.locked {
            let handle = try open(group: group)
            defer { H5Gclose(handle) }
            var info = H5G_info_t()
            guard H5Gget_info(handle, &info) >= 0 else { throw fail(group, "cannot list the group") }
            return try (0..<info.nlinks).map { index in
                let length = H5Lget_name_by_idx(handle, ".", H5_INDEX_NAME, H5_ITER_INC, index, nil, 0, hid_t(H5P_DEFAULT))
                guard length >= 0 else { throw fail(group, "cannot read the name of member \(index)") }
                var buffer = [CChar](repeating: 0, count: Int(length) + 1)
                _ = H5Lget_name_by_idx(handle, ".", H5_INDEX_NAME, H5_ITER_INC, index, &buffer, buffer.count, hid_t(H5P_DEFAULT))
                return String(cString: buffer)
            }
        }
    }

    private func open(group: String) throws -> hid_t {
        guard kind(of: group) == .group else { throw fail(group, kind(of: group) == nil ? "no such group" : "not a group") }
        let handle = H5Gopen2(id, group.isEmpty ? "/" : group, hid_t(H5P_DEFAULT))
        guard handle >= 0 else { throw fail(group, "cannot open the group") }
        return handle
    }

    /// Whether the object has an attribute of this name.
    public func hasAttribute(_ name: String, of object: String) -> Bool {
        Self.locked {
            guard kind(of: object) != nil else { return false }
            return H5Aexists_by_name(id, object.isEmpty ? "/" : object, name, hid_t(H5P_DEFAULT)) > 0
        }
    }

    /// A string attribute as an array: fixed-length (h5py's `S` arrays, NUL-padded) or
    /// variable-length strings, a scalar counting as one element; an empty attribute of any
    /// type is an empty array. Keras splits long attributes into `name0`, `name1`…: those are
    /// read and joined when `name` itself is absent.
    public func strings(attribute name: String, of object: String) throws -> [String] {
        try Self.locked {
            if !hasAttribute(name, of: object) {
                guard hasAttribute("\(name)0", of: object) else { throw fail(object, "no attribute '\(name)'") }
                var chunks: [String] = []
                var index = 0
                while hasAttribute("\(name)\(index)", of: object) {
                    chunks += try readStrings(attribute: "\(name)\(index)", of: object)
                    index += 1
                }
                return chunks
            }
            return try readStrings(attribute: name, of: object)
        }
    }

    private func readStrings(attribute name: String, of object: String) throws -> [String] {
        let what = "attribute '\(name)'"
        let attribute = H5Aopen_by_name(id, object.isEmpty ? "/" : object, name, hid_t(H5P_DEFAULT), hid_t(H5P_DEFAULT))
        guard attribute >= 0 else { throw fail(object, "cannot open \(what)") }
        defer { H5Aclose(attribute) }
        let fileType = H5Aget_type(attribute), space = H5Aget_space(attribute)
        defer { H5Tclose(fileType); H5Sclose(space) }
        let count = Int(H5Sget_simple_extent_npoints(space))
        guard count >= 0 else { throw fail(object, "cannot read the extent of \(what)") }
        if count == 0 { return [] }
        guard H5Tget_class(fileType) == H5T_STRING else { throw fail(object, "\(what) is not a string attribute") }
        let memoryType = H5Tcopy(invariant_h5t_c_s1())
        defer { H5Tclose(memoryType) }
        H5Tset_cset(memoryType, H5Tget_cset(fileType))
        if H5Tis_variable_str(fileType) > 0 {
            H5Tset_size(memoryType, invariant_h5t_variable())
            var pointers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: count)
            guard H5Aread(attribute, memoryType, &pointers) >= 0 else { throw fail(object, "cannot read \(what)") }
            defer { H5Dvlen_reclaim(memoryType, space, hid_t(H5P_DEFAULT), &pointers) }
            return pointers.map { $0.map { String(cString: $0) } ?? "" }
        }
        let size = H5Tget_size(fileType)
        guard size > 0 else { throw fail(object, "\(what) has strings of size 0") }
        H5Tset_size(memoryType, size)
        H5Tset_strpad(memoryType, H5T_STR_NULLPAD)
        var bytes = [UInt8](repeating: 0, count: count * size)
        guard H5Aread(attribute, memoryType, &bytes) >= 0 else { throw fail(object, "cannot read \(what)") }
        return (0..<count).map { index in
            let slice = bytes[(index * size)..<((index + 1) * size)]
            return String(decoding: slice.prefix { $0 != 0 }, as: UTF8.self)
        }
    }

    /// A float dataset (any floating-point type in the file) with its shape.
    public func dataset(_ object: String) throws -> HDF5Dataset {
        try Self.locked {
            guard let kind = kind(of: object) else { throw fail(object, "no such dataset") }
            guard kind == .dataset else { throw fail(object, "not a dataset") }
            let dataset = H5Dopen2(id, object, hid_t(H5P_DEFAULT))
            guard dataset >= 0 else { throw fail(object, "cannot open the dataset") }
            defer { H5Dclose(dataset) }
            let fileType = H5Dget_type(dataset), space = H5Dget_space(dataset)
            defer { H5Tclose(fileType); H5Sclose(space) }
            guard H5Tget_class(fileType) == H5T_FLOAT else { throw fail(object, "not a floating-point dataset") }
            let rank = H5Sget_simple_extent_ndims(space)
            guard rank >= 0 else { throw fail(object, "cannot read the dataset's shape") }
            var dimensions = [hsize_t](repeating: 0, count: Int(rank))
            H5Sget_simple_extent_dims(space, &dimensions, nil)
            let shape = dimensions.map { Int($0) }
            var values = [Float](repeating: 0, count: shape.reduce(1, *))
            if !values.isEmpty {
                guard H5Dread(dataset, invariant_h5t_native_float(), invariant_h5s_all(), invariant_h5s_all(), hid_t(H5P_DEFAULT), &values) >= 0 else {
                    throw fail(object, "cannot read the dataset's values (truncated file?)")
                }
            }
            return HDF5Dataset(shape: shape, values: values)
        }
    }
}
