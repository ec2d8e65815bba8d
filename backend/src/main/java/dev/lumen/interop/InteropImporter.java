package dev.lumen.interop;

import dev.lumen.interop.ImportTargets.Target;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import org.springframework.stereotype.Service;

/**
 * {@code lumen import saedashboard} and {@code lumen import neuronpedia}: every file is read and checked before
 * anything is written, then each file is written in its own transaction ({@link ImportWriter}).
 */
@Service
public class InteropImporter {

	private final ImportTargets targets;

	private final ImportWriter writer;

	InteropImporter(ImportTargets targets, ImportWriter writer) {
		this.targets = targets;
		this.writer = writer;
	}

	/** Where to import and how. */
	public record Request(String modelName, String saeName, Path modelConfig, Path saeDir, boolean replace) {
	}

	/** What an import did. */
	public record Report(String modelName, String saeName, int files, int filesSkipped, int features) {
	}

	/** One file's features, read and checked. */
	record ReadFile(Path file, String contentId, List<ImportedFeature> features) {
	}

	/** Imports SAEDashboard batch files (or directories of them). */
	public Report importSaeDashboard(List<Path> paths, Request request, Consumer<String> progress) {
		List<ReadFile> read = new ArrayList<>();
		String modelId = null;
		Integer layer = null;
		for (Path file : DashboardBatchReader.batchFiles(paths)) {
			DashboardBatch batch = DashboardBatchReader.read(file);
			modelId = modelId == null ? batch.modelId() : modelId;
			if (layer != null && !layer.equals(batch.layer())) {
				throw new InteropFormatException(file + " is for layer " + batch.layer() + ", the files before it for layer "
						+ layer + ": import each SAE's batches separately");
			}
			layer = batch.layer();
			read.add(new ReadFile(file, sha256(file), batch.features().stream().map(DashboardMapping::toImported).toList()));
		}
		return write(read, request, "saedashboard", "saedashboard:" + modelId, layer, progress);
	}

	/** Imports a Neuronpedia dataset export ({@code features/}, {@code activations/}, {@code explanations/}). */
	public Report importNeuronpedia(Path exportDir, Request request, Consumer<String> progress) {
		NeuronpediaExport export = NeuronpediaExport.read(exportDir);
		Request withNames = new Request(request.modelName() != null ? request.modelName() : export.modelId(),
				request.saeName() != null ? request.saeName() : export.sourceId(), request.modelConfig(),
				request.saeDir(), request.replace());
		List<ReadFile> read = export.batches()
			.stream()
			.map(b -> new ReadFile(b.file(), b.contentId(), b.features()))
			.toList();
		java.util.regex.Matcher layered = java.util.regex.Pattern.compile("(\\d+)-.+").matcher(export.sourceId());
		Integer layer = layered.matches() ? Integer.valueOf(layered.group(1)) : null;
		return write(read, withNames, "neuronpedia", "neuronpedia:" + export.modelId(), layer, progress);
	}

	/** @param layer the layer the files say they are for, checked against the SAE's hook, or null */
	private Report write(List<ReadFile> read, Request request, String source, String modelSource, Integer layer,
			Consumer<String> progress) {
		Target target = this.targets.resolve(request.modelName(), request.saeName(), request.modelConfig(),
				request.saeDir(), modelSource, layer);
		int skipped = 0;
		int features = 0;
		for (ReadFile f : read) {
			ImportWriter.Outcome o = this.writer.write(target, source, f.file().getFileName().toString(), f.contentId(),
					f.features(), request.replace());
			skipped += o.skipped() ? 1 : 0;
			features += o.written();
			progress.accept(f.file().getFileName() + (o.skipped() ? ": already imported, skipped"
					: ": " + o.written() + " features"));
		}
		return new Report(target.model().getName(), target.sae().getName(), read.size(), skipped, features);
	}

	static String sha256(Path file) {
		try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
			in.transferTo(java.io.OutputStream.nullOutputStream());
			return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
		}
		catch (IOException ex) {
			throw new InteropFormatException("cannot read " + file + ": " + ex.getMessage(), ex);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}
}
