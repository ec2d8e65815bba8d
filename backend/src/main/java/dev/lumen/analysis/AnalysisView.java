package dev.lumen.analysis;

import dev.lumen.analysis.AnalysisResult.FeatureRow;
import dev.lumen.analysis.AnalysisResult.FeatureTrace;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An analysis as {@code /analyze} draws it without JavaScript: bar widths for attribution and ablation (one scale
 * for both, so the bars compare), and a heat-map per summed feature over the prompt tokens.
 * @param heatMaps one per summed feature, in table order
 * @param chosen the feature whose heat-map shows first
 */
public record AnalysisView(float scale, List<HeatMap> heatMaps, int chosen) {

	/**
	 * A prompt token in a heat-map.
	 * @param shade activation as a fraction of the feature's largest activation on this prompt, 0 to 1
	 * @param tip what hover or focus shows: position, token, activation, attribution
	 */
	public record Heat(int position, String text, String shade, String tip) {
	}

	/** One feature's heat-map. */
	public record HeatMap(int feature, String label, String url, float maxActivation, List<Heat> tokens) {
	}

	/** @param chosen the requested feature, or null (then the strongest summed one) */
	static AnalysisView of(AnalysisResult result, Integer chosen) {
		float scale = 0;
		for (FeatureRow row : result.summed()) {
			scale = Math.max(scale, Math.abs(row.attribution()));
			scale = Math.max(scale, row.ablation() == null ? 0 : Math.abs(row.ablation()));
		}
		List<HeatMap> maps = new ArrayList<>();
		for (int k = 0; k < result.traces().size(); k++) {
			maps.add(heatMap(result, result.summed().get(k), result.traces().get(k)));
		}
		int shown = maps.stream().anyMatch(m -> chosen != null && m.feature() == chosen) ? chosen
				: maps.isEmpty() ? -1 : maps.get(0).feature();
		return new AnalysisView(scale, maps, shown);
	}

	private static HeatMap heatMap(AnalysisResult result, FeatureRow row, FeatureTrace trace) {
		float max = 0;
		for (Float a : trace.activations()) {
			max = Math.max(max, a);
		}
		List<Heat> tokens = new ArrayList<>();
		for (int p = 1; p < result.tokens().size(); p++) { // BOS is not spliced: no activation to show
			float activation = trace.activations().get(p);
			String tip = String.format(Locale.ROOT, "position %d · %s · activation %.3f · attribution %+.4f", p,
					result.tokens().get(p).text(), activation, trace.attributions().get(p));
			tokens.add(new Heat(p, result.tokens().get(p).text(),
					String.format(Locale.ROOT, "%.2f", max > 0 ? Math.max(0, activation) / max : 0), tip));
		}
		return new HeatMap(trace.index(), row.label(), row.url(), max, tokens);
	}

	/** @return the CSS width of a bar for {@code value} (attribution or ablation), e.g. {@code "42.0%"}; 0 for null */
	public String width(Float value) {
		if (value == null || !(this.scale > 0)) {
			return "0%";
		}
		return String.format(Locale.ROOT, "%.1f%%", 100 * Math.min(1, Math.abs(value) / this.scale));
	}
}
