import Imaging
import Reports
import Testing

@Suite struct ImageGridTests {
    func solid(_ rgb: (UInt8, UInt8, UInt8), width: Int = 10, height: Int = 10) -> Image<UInt8> {
        Image(width: width, height: height, channels: 3,
              pixels: (0..<width * height).flatMap { _ in [rgb.0, rgb.1, rgb.2] })
    }

    /// Layout: margin 8, cells of 64×64 plus an 18-point caption line, titled.
    @Test func laysOutCellsWithCaptions() {
        let grid = ImageGrid(rows: [[.init(image: solid((255, 0, 0)), caption: "red"), .init(image: solid((0, 0, 255)), caption: "blue")],
                                    [.init(image: solid((0, 255, 0), width: 20, height: 10), caption: "a very long caption that will not fit")]],
                             cellSize: ImageSize(width: 64, height: 64), title: "Preview")
        let image = grid.render()
        #expect(image.width == 8 + 2 * (64 + 8))
        #expect(image.height == 8 + 26 + 2 * (64 + 18 + 8))
        // Cell centres carry the images' colours.
        let top = 8 + 26
        #expect(image.pixelAt(8 + 32, top + 32) == [255, 0, 0])
        #expect(image.pixelAt(8 + 72 + 32, top + 32) == [0, 0, 255])
        // The 20×10 image is scaled to 64×32 and centred vertically: white above it, green inside.
        let second = top + 64 + 18 + 8
        #expect(image.pixelAt(8 + 32, second + 10) == [255, 255, 255])
        #expect(image.pixelAt(8 + 32, second + 32) == [0, 255, 0])
        // Captions are drawn in dark ink below the cells.
        let captionRow = (top + 64 + 2..<top + 64 + 16).flatMap { y in (8..<8 + 64).map { image.pixelAt($0, y) } }
        #expect(captionRow.contains { $0[0] < 128 })
    }

    @Test func grayImagesAreReplicated() {
        let gray = Image<UInt8>(width: 4, height: 4, channels: 1, pixels: [UInt8](repeating: 90, count: 16))
        let image = ImageGrid(rows: [[.init(image: gray)]], cellSize: ImageSize(width: 8, height: 8)).render()
        #expect(image.pixelAt(8 + 4, 8 + 4) == [90, 90, 90])
    }
}

extension Image where Component == UInt8 {
    func pixelAt(_ x: Int, _ y: Int) -> [UInt8] { (0..<channels).map { self[x, y, $0] } }
}
