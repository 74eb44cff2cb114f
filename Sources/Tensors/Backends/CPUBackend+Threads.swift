import CDNNL

extension CPUBackend {
    /// The threads oneDNN (OpenMP) uses; by default one per core. OpenBLAS runs on the calling
    /// thread (see `keepFreedMemoryForReuse`).
    public static var threadCount: Int {
        get { Int(omp_get_max_threads()) }
        set {
            precondition(newValue > 0, "thread count must be positive")
            omp_set_num_threads(Int32(newValue))
        }
    }
}
