import Imaging
import Learning

extension History {
    /// The history as the lesson plots it (`pd.DataFrame(history.history).plot()`): every
    /// recorded value per epoch on one chart, validation curves dashed. The learning rate is
    /// left out: on the same axis it would be a flat line at zero.
    public func chart(title: String = "Training history") -> Image<UInt8> {
        let series = keys.filter { $0 != "learning_rate" }.map { key in
            LineChart.Series(name: key, values: self[key] ?? [], dashed: key.hasPrefix("val_"))
        }
        return LineChart(title: title, xLabel: "epoch", yLabel: "value", firstX: Double((epochs.first ?? 0) + 1),
                         series: series).render()
    }
}
