package dev.lumen.playground;

import java.util.ArrayList;
import java.util.List;

/**
 * The playground's HTML form. Feature rows come as parallel repeated parameters ({@code featureIndex},
 * {@code featureMode}, {@code featureValue}, {@code featureUnit}); rows with an empty index are ignored. A
 * conversation (for models with a chat template) is an optional {@code system} prompt plus parallel repeated
 * {@code turnRole} and {@code turnContent}; turns with empty content are ignored.
 */
public class PlaygroundForm {

	/** {@code model/sae}, both catalog slugs */
	private String target = "";

	private String prompt = "";

	private List<String> featureIndex = new ArrayList<>();

	private List<String> featureMode = new ArrayList<>();

	private List<String> featureValue = new ArrayList<>();

	private List<String> featureUnit = new ArrayList<>();

	private String system = "";

	private List<String> turnRole = new ArrayList<>();

	private List<String> turnContent = new ArrayList<>();

	/** the feature search box (label words or an index) */
	private String featureQuery = "";

	private String temperature = "0.8";

	private String maxTokens = "40";

	private String topP = "0.9";

	private String seed = "42";

	private String positions = "all";

	/** @return a form holding a request's settings (features of its first SAE), e.g. to rerun a saved run */
	public static PlaygroundForm of(SteerRequest request) {
		PlaygroundForm form = new PlaygroundForm();
		List<SteerRequest.Feature> features = request.features() == null ? List.of() : request.features();
		String sae = features.isEmpty() ? "" : features.get(0).sae();
		form.setTarget(request.model() + "/" + sae);
		form.setPrompt(request.prompt() == null ? "" : request.prompt());
		for (SteerRequest.Message m : request.messages() == null ? List.<SteerRequest.Message>of() : request.messages()) {
			if (m.role().equals("system") && form.turnRole.isEmpty() && form.system.isEmpty()) {
				form.system = m.content();
			}
			else {
				form.turnRole.add(m.role());
				form.turnContent.add(m.content());
			}
		}
		for (SteerRequest.Feature f : features) {
			if (f.sae() != null && f.sae().equals(sae)) {
				form.featureIndex.add(String.valueOf(f.index()));
				form.featureMode.add(f.mode() == null ? "clamp" : f.mode());
				form.featureValue.add(String.valueOf(f.value()));
				form.featureUnit.add(f.unit() == null ? "multiple" : f.unit());
			}
		}
		form.setTemperature(String.valueOf(request.temperature()));
		form.setMaxTokens(String.valueOf(request.maxTokens()));
		form.setTopP(String.valueOf(request.topP()));
		form.setSeed(String.valueOf(request.seed()));
		form.setPositions(request.positions() == null ? "all" : request.positions());
		return form;
	}

	/**
	 * @param chat whether the chosen model has a chat template: then the conversation is sent, else the prompt
	 * @return the JSON API's request for this form; unparsable numbers are reported by name
	 */
	public SteerRequest toRequest(boolean chat) {
		String model = null;
		String sae = null;
		if (this.target != null && this.target.contains("/")) {
			model = this.target.substring(0, this.target.indexOf('/'));
			sae = this.target.substring(this.target.indexOf('/') + 1);
		}
		List<SteerRequest.Feature> features = new ArrayList<>();
		for (int i = 0; i < this.featureIndex.size(); i++) {
			String index = this.featureIndex.get(i);
			if (index == null || index.isBlank()) {
				continue;
			}
			features.add(new SteerRequest.Feature(sae, (int) number(index, "feature index"), at(this.featureMode, i),
					(float) number(at(this.featureValue, i), "feature value"), at(this.featureUnit, i)));
		}
		return new SteerRequest(chat ? null : this.prompt, model, features, (float) number(this.temperature, "temperature"),
				(int) number(this.maxTokens, "max tokens"), (long) number(this.seed, "seed"), (float) number(this.topP, "top-p"),
				this.positions, chat ? messages() : null);
	}

	/** @return the conversation: the system prompt when given, then every turn with content */
	List<SteerRequest.Message> messages() {
		List<SteerRequest.Message> out = new ArrayList<>();
		if (this.system != null && !this.system.isBlank()) {
			out.add(new SteerRequest.Message("system", this.system));
		}
		for (int i = 0; i < this.turnContent.size(); i++) {
			String content = this.turnContent.get(i);
			if (content != null && !content.isBlank()) {
				out.add(new SteerRequest.Message(orDefault(at(this.turnRole, i), "user"), content));
			}
		}
		return out;
	}

	/** @return the model/SAE target's model name, or null when none is chosen */
	public String modelName() {
		return this.target != null && this.target.contains("/") ? this.target.substring(0, this.target.indexOf('/')) : null;
	}

	/** @return the conversation's turns to show: the given ones, or one empty user turn */
	public List<Turn> turns() {
		List<Turn> out = new ArrayList<>();
		for (int i = 0; i < this.turnContent.size(); i++) {
			out.add(new Turn(orDefault(at(this.turnRole, i), "user"), orEmpty(this.turnContent.get(i))));
		}
		if (out.isEmpty()) {
			out.add(new Turn("user", ""));
		}
		return out;
	}

	/** Adds an empty turn for the role that comes next (user after assistant, assistant after user). */
	public void addTurn() {
		List<Turn> turns = turns();
		this.turnRole = new ArrayList<>(turns.stream().map(Turn::role).toList());
		this.turnContent = new ArrayList<>(turns.stream().map(Turn::content).toList());
		this.turnRole.add(turns.get(turns.size() - 1).role().equals("user") ? "assistant" : "user");
		this.turnContent.add("");
	}

	/**
	 * Strength a feature is first clamped to, as a multiple of its max activation: on the demo model 1× keeps the
	 * text fluent while the feature shows, 3× already drifts and 5× or more breaks it into repetition and bytes.
	 */
	public static final String DEFAULT_MULTIPLE = "1";

	/**
	 * Adds a feature row (into the first row without an index), clamped to {@link #DEFAULT_MULTIPLE}× its max
	 * activation when that is known, else with an absolute value still to be filled in.
	 */
	public void addFeature(int index, boolean hasMaxActivation) {
		int row = 0;
		while (row < this.featureIndex.size() && this.featureIndex.get(row) != null && !this.featureIndex.get(row).isBlank()) {
			row++;
		}
		set(this.featureIndex, row, Integer.toString(index));
		set(this.featureMode, row, "clamp");
		set(this.featureValue, row, hasMaxActivation ? DEFAULT_MULTIPLE : "");
		set(this.featureUnit, row, hasMaxActivation ? "multiple" : "absolute");
	}

	private static void set(List<String> list, int i, String value) {
		while (list.size() <= i) {
			list.add("");
		}
		list.set(i, value);
	}

	private static String at(List<String> list, int i) {
		return i < list.size() ? list.get(i) : null;
	}

	private static double number(String text, String what) {
		try {
			return Double.parseDouble(text == null ? "" : text.trim());
		}
		catch (NumberFormatException ex) {
			throw new PlaygroundException(what + " must be a number, got '" + text + "'");
		}
	}

	/** @return the rows to show: the given ones plus empty rows up to at least {@code rows} */
	public List<Row> rows(int rows) {
		List<Row> out = new ArrayList<>();
		int n = Math.max(rows, this.featureIndex.size());
		for (int i = 0; i < n; i++) {
			out.add(new Row(orEmpty(at(this.featureIndex, i)), orDefault(at(this.featureMode, i), "clamp"),
					orEmpty(at(this.featureValue, i)), orDefault(at(this.featureUnit, i), "multiple")));
		}
		return out;
	}

	private static String orEmpty(String s) {
		return s == null ? "" : s;
	}

	private static String orDefault(String s, String d) {
		return s == null || s.isBlank() ? d : s;
	}

	/** One feature row as shown. */
	public record Row(String index, String mode, String value, String unit) {
	}

	/** One conversation turn as shown. */
	public record Turn(String role, String content) {
	}

	public String getSystem() {
		return this.system;
	}

	public void setSystem(String system) {
		this.system = system;
	}

	public List<String> getTurnRole() {
		return this.turnRole;
	}

	public void setTurnRole(List<String> turnRole) {
		this.turnRole = turnRole;
	}

	public List<String> getTurnContent() {
		return this.turnContent;
	}

	public void setTurnContent(List<String> turnContent) {
		this.turnContent = turnContent;
	}

	public String getFeatureQuery() {
		return this.featureQuery;
	}

	public void setFeatureQuery(String featureQuery) {
		this.featureQuery = featureQuery;
	}

	public String getTarget() {
		return this.target;
	}

	public void setTarget(String target) {
		this.target = target;
	}

	public String getPrompt() {
		return this.prompt;
	}

	public void setPrompt(String prompt) {
		this.prompt = prompt;
	}

	public List<String> getFeatureIndex() {
		return this.featureIndex;
	}

	public void setFeatureIndex(List<String> featureIndex) {
		this.featureIndex = featureIndex;
	}

	public List<String> getFeatureMode() {
		return this.featureMode;
	}

	public void setFeatureMode(List<String> featureMode) {
		this.featureMode = featureMode;
	}

	public List<String> getFeatureValue() {
		return this.featureValue;
	}

	public void setFeatureValue(List<String> featureValue) {
		this.featureValue = featureValue;
	}

	public List<String> getFeatureUnit() {
		return this.featureUnit;
	}

	public void setFeatureUnit(List<String> featureUnit) {
		this.featureUnit = featureUnit;
	}

	public String getTemperature() {
		return this.temperature;
	}

	public void setTemperature(String temperature) {
		this.temperature = temperature;
	}

	public String getMaxTokens() {
		return this.maxTokens;
	}

	public void setMaxTokens(String maxTokens) {
		this.maxTokens = maxTokens;
	}

	public String getTopP() {
		return this.topP;
	}

	public void setTopP(String topP) {
		this.topP = topP;
	}

	public String getSeed() {
		return this.seed;
	}

	public void setSeed(String seed) {
		this.seed = seed;
	}

	public String getPositions() {
		return this.positions;
	}

	public void setPositions(String positions) {
		this.positions = positions;
	}
}
