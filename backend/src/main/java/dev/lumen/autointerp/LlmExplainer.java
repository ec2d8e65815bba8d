package dev.lumen.autointerp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Asks a language model for a label and description ({@link ExplanationPrompt}). The answer must be one JSON object
 * with a short one-line label and a description; anything else counts as malformed and is asked again, so a bad
 * answer is never stored.
 */
public final class LlmExplainer implements Explainer {

	static final int MAX_LABEL = 120;

	static final int MAX_DESCRIPTION = 2000;

	static final int MAX_TOKENS = 400;

	private final ChatClient client;

	private final RetryPolicy retry;

	public LlmExplainer(ChatClient client, RetryPolicy retry) {
		this.client = client;
		this.retry = retry;
	}

	@Override
	public String name() {
		return this.client.name();
	}

	@Override
	public Explanation explain(FeatureExamples examples) {
		String user = ExplanationPrompt.user(examples);
		return this.retry.call(() -> {
			String answer = this.client.complete("explain", ExplanationPrompt.SYSTEM, user, MAX_TOKENS);
			return Transcript.parsed(() -> parse(answer));
		});
	}

	@Override
	public CallEstimate estimate(FeatureExamples examples) {
		return new CallEstimate(1, ExplanationPrompt.SYSTEM.length() + ExplanationPrompt.user(examples).length(), MAX_TOKENS);
	}

	/** @throws LlmException (retryable) when the answer is not the JSON object asked for */
	Explanation parse(String answer) {
		String s = answer.strip();
		if (s.startsWith("```")) {
			// a fenced block is a common wrapping; its content must still be the whole answer
			s = s.replaceFirst("^```[a-zA-Z]*\\s*", "").replaceFirst("\\s*```$", "");
		}
		JsonNode json;
		try {
			json = ChatClient.JSON.readTree(s);
		}
		catch (JsonProcessingException ex) {
			throw malformed("is not a JSON object", answer);
		}
		if (json == null || !json.isObject()) {
			throw malformed("is not a JSON object", answer);
		}
		JsonNode label = json.get("label");
		JsonNode description = json.get("description");
		if (label == null || !label.isTextual() || label.asText().isBlank()) {
			throw malformed("has no label", answer);
		}
		String l = label.asText().strip();
		if (l.length() > MAX_LABEL || l.chars().anyMatch(Character::isISOControl)) {
			throw malformed("has a label longer than " + MAX_LABEL + " characters or over several lines", answer);
		}
		if (description == null || !description.isTextual() || description.asText().isBlank()) {
			throw malformed("has no description", answer);
		}
		String d = description.asText().strip();
		if (d.length() > MAX_DESCRIPTION) {
			throw malformed("has a description longer than " + MAX_DESCRIPTION + " characters", answer);
		}
		return new Explanation(l, d, name(), false);
	}

	private LlmException malformed(String what, String answer) {
		return new LlmException(name() + ": malformed answer: it " + what + ": " + ChatClient.quote(answer), true);
	}
}
