package dev.lumen.interop;

import dev.lumen.interop.DashboardBatch.Activation;
import dev.lumen.interop.DashboardBatch.Feature;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads SAEDashboard batch files strictly: an unknown key, a missing required one, arrays of different lengths
 * or a truncated file are refused with the file, the feature and the key named.
 */
final class DashboardBatchReader {

	static final JsonMapper JSON = JsonMapper.builder()
		.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
		.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
		.build();

	private DashboardBatchReader() {
	}

	/** @return the batch files named, or those in a directory ({@code batch-N.json}, by N) */
	static List<Path> batchFiles(List<Path> paths) {
		List<Path> out = new ArrayList<>();
		for (Path p : paths) {
			if (Files.isDirectory(p)) {
				try (Stream<Path> files = Files.list(p)) {
					List<Path> batches = files.filter(f -> f.getFileName().toString().matches("batch-\\d+\\.json"))
						.sorted((a, b) -> Integer.compare(batchNumber(a), batchNumber(b)))
						.toList();
					if (batches.isEmpty()) {
						throw new InteropFormatException(p + " holds no SAEDashboard batch files (batch-N.json)");
					}
					out.addAll(batches);
				}
				catch (IOException ex) {
					throw new InteropFormatException("cannot list " + p + ": " + ex.getMessage(), ex);
				}
			}
			else if (Files.isRegularFile(p)) {
				out.add(p);
			}
			else {
				throw new InteropFormatException(p + " does not exist");
			}
		}
		return out;
	}

	private static int batchNumber(Path p) {
		String n = p.getFileName().toString();
		return Integer.parseInt(n.substring("batch-".length(), n.length() - ".json".length()));
	}

	/** Reads and checks one batch file. */
	static DashboardBatch read(Path file) {
		DashboardBatch batch;
		try (InputStream in = Files.newInputStream(file)) {
			batch = JSON.readValue(in, DashboardBatch.class);
		}
		catch (UnrecognizedPropertyException ex) {
			throw new InteropFormatException(file + ": unknown key '" + ex.getPropertyName() + "' at "
					+ ex.getPathReference() + "; the SAEDashboard batch format (neuronpedia_dashboard.py) has "
					+ ex.getKnownPropertyIds() + ". Lumen refuses keys it would have to drop.", ex);
		}
		catch (JacksonException ex) {
			throw new InteropFormatException(file + " is not a complete SAEDashboard batch (truncated or malformed JSON"
					+ at(ex.getLocation()) + "): " + ex.getOriginalMessage(), ex);
		}
		catch (IOException ex) {
			throw new InteropFormatException("cannot read " + file + ": " + ex.getMessage(), ex);
		}
		check(file, batch);
		return batch;
	}

	private static String at(TokenStreamLocation loc) {
		return loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
	}

	static void check(Path file, DashboardBatch batch) {
		require(file, "", batch.modelId() != null, "model_id");
		require(file, "", batch.layer() != null, "layer");
		require(file, "", batch.saeSet() != null, "sae_set");
		require(file, "", batch.features() != null, "features");
		for (int i = 0; i < batch.features().size(); i++) {
			checkFeature(file, "features[" + i + "]", batch.features().get(i));
		}
	}

	private static void checkFeature(Path file, String where, Feature f) {
		require(file, where, f.featureIndex() != null && f.featureIndex() >= 0, "feature_index (a number >= 0)");
		where = where + " (feature " + f.featureIndex() + ")";
		require(file, where, f.activations() != null, "activations");
		sameLength(file, where, "pos_str", f.posStr(), "pos_values", f.posValues());
		sameLength(file, where, "neg_str", f.negStr(), "neg_values", f.negValues());
		sameLength(file, where, "freq_hist_data_bar_values", f.freqHistBarValues(), "freq_hist_data_bar_heights",
				f.freqHistBarHeights());
		sameLength(file, where, "correlated_features_indices", f.correlatedFeaturesIndices(),
				"correlated_features_pearson", f.correlatedFeaturesPearson());
		for (int a = 0; a < f.activations().size(); a++) {
			Activation act = f.activations().get(a);
			String at = where + ".activations[" + a + "]";
			require(file, at, act.binMin() != null && act.binMax() != null, "bin_min and bin_max");
			require(file, at, act.tokens() != null && act.values() != null, "tokens and values");
			sameLength(file, at, "tokens", act.tokens(), "values", act.values());
			require(file, at, !act.tokens().isEmpty(), "at least one token");
			Integer q = act.qualifyingTokenIndex();
			require(file, at, q == null || (q >= 0 && q < act.tokens().size()),
					"qualifying_token_index within the " + act.tokens().size() + " tokens (it is " + q + ")");
		}
	}

	private static void sameLength(Path file, String where, String a, List<?> x, String b, List<?> y) {
		int nx = x == null ? 0 : x.size();
		int ny = y == null ? 0 : y.size();
		if (nx != ny) {
			throw new InteropFormatException(file + ": " + where + " has " + nx + " " + a + " but " + ny + " " + b
					+ "; they must pair up");
		}
	}

	private static void require(Path file, String where, boolean ok, String what) {
		if (!ok) {
			throw new InteropFormatException(file + ": " + (where.isEmpty() ? "the batch" : where) + " lacks " + what);
		}
	}
}
