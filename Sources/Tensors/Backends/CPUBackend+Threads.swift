import CDNNL
import COpenBLAS

extension CPUBackend {
    /// The threads oneDNN (OpenMP) and OpenBLAS each use; by default one per core.
    public static var threadCount: Int {
        get { Int(omp_get_max_threads()) }
        set {
            precondition(newValue > 0, "thread count must be positive")
            omp_set_num_threads(Int32(newValue))
            openblas_set_num_threads(Int32(newValue))
        }
    }
}
