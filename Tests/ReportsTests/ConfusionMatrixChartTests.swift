import Imaging
import Reports
import Testing

@Suite struct ConfusionMatrixChartTests {
    /// Cells are shaded by their share of the row: a perfect row's diagonal cell is the
    /// darkest blue, an empty cell stays white; every class name is drawn.
    @Test func shadesCellsByTheirShareOfTheRow() {
        let image = ConfusionMatrixChart(counts: [[5, 0, 0], [1, 3, 1], [0, 0, 700]],
                                         classNames: ["cat", "dog", "bird"]).render()!
        #expect(image.channels == 3 && image.width > 200 && image.height > 200)
        var colors: Set<[UInt8]> = []
        for y in 0..<image.height {
            for x in 0..<image.width { colors.insert((0..<3).map { image[x, y, $0] }) }
        }
        // Within cairo's rounding of the colour to 8 bits.
        func drawn(_ expected: [Int]) -> Bool { colors.contains { zip($0, expected).allSatisfy { abs(Int($0) - $1) <= 1 } } }
        #expect(drawn([18, 84, 107]))  // "Blues" at share 1: (0.07, 0.33, 0.42) of full scale
        #expect(drawn([113, 152, 166]))  // the middle row's 3/5
        #expect(drawn([255, 255, 255]))
    }

    /// Hundreds of classes get small cells without text and fit cairo's limits.
    @Test func manyClassesGetSmallCells() {
        let names = (0..<300).map { "class \($0)" }
        let counts = names.indices.map { row in names.indices.map { $0 == row ? 3 : 0 } }
        let image = ConfusionMatrixChart(counts: counts, classNames: names).render()
        #expect(image != nil && (1_200..<2_000).contains(image!.width))
    }
}
