package dev.lumen.playground;

import dev.lumen.catalog.CatalogSae;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Collects what the steering hooks saw: the steered features' activations at each generated token. */
final class SteeredActivations {

	private SteeredActivations() {
	}

	/** Per generated token, the applied features' activations there (in {@code plan.applied()} order). */
	static List<List<Float>> of(SteeringPlan plan, List<SteeringHook> hooks, int tokens) {
		Map<String, Float>[] byFeature = newMaps(tokens);
		int h = 0;
		for (Map.Entry<CatalogSae, List<FeatureIntervention>> entry : plan.bySae().entrySet()) {
			List<float[]> calls = hooks.get(h++).lastPositionActivations();
			for (int t = 0; t < tokens; t++) {
				if (t + 1 < calls.size()) {
					for (int k = 0; k < entry.getValue().size(); k++) {
						byFeature[t].put(entry.getKey().getName() + "#" + entry.getValue().get(k).feature(), calls.get(t + 1)[k]);
					}
				}
			}
		}
		List<List<Float>> out = new ArrayList<>();
		for (int t = 0; t < tokens; t++) {
			if (byFeature[t].isEmpty()) {
				out.add(null);
				continue;
			}
			List<Float> row = new ArrayList<>();
			for (SteerResult.AppliedFeature f : plan.applied()) {
				row.add(byFeature[t].get(f.sae() + "#" + f.index()));
			}
			out.add(row);
		}
		return out;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Float>[] newMaps(int n) {
		Map<String, Float>[] maps = new Map[n];
		for (int i = 0; i < n; i++) {
			maps[i] = new LinkedHashMap<>();
		}
		return maps;
	}

}
