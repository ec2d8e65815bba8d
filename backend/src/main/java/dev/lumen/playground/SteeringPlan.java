package dev.lumen.playground;

import dev.lumen.catalog.CatalogModel;
import dev.lumen.catalog.CatalogSae;
import dev.lumen.engine.generate.GenerationOptions;
import java.util.List;
import java.util.Map;

/**
 * A steering request checked and resolved against the catalog, ready to run.
 * @param promptText the prompt as the model sees it (a conversation rendered with the chat template)
 * @param promptIds its tokens, fed to the generator
 */
public record SteeringPlan(SteerRequest request, CatalogModel model, Map<CatalogSae, List<FeatureIntervention>> bySae,
		List<SteerResult.AppliedFeature> applied, String promptText, int[] promptIds, GenerationOptions options,
		SteeringPositions positions) {
}
