package dev.lumen.playground;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import dev.lumen.testing.DatabaseTest;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.ApplicationContext;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

/** The playground form's feature search: the htmx fragment, and the same without JavaScript. */
@AutoConfigureMockMvc
class PlaygroundFeatureSearchTest extends DatabaseTest {

	@Autowired
	MockMvc mvc;

	@Autowired
	ApplicationContext context;

	SteerFixture fixture;

	@BeforeEach
	void setUp() throws Exception {
		this.fixture = new SteerFixture(this.context);
		this.fixture.label(SteerFixture.WITH_MAX, "dragons guarding <b>castles</b>");
		this.fixture.label(5, "cats sleeping in the sun");
	}

	@AfterEach
	void tearDown() {
		this.fixture.close();
	}

	String target() {
		return this.fixture.model.getName() + "/res1";
	}

	String fragment(String query) throws Exception {
		MvcResult r = this.mvc.perform(get("/playground/features").header("HX-Request", "true").param("target", target())
			.param("featureQuery", query)).andReturn();
		assertThat(r.getResponse().getStatus()).isEqualTo(200);
		return r.getResponse().getContentAsString();
	}

	@Test
	void searchFeaturesFragmentFindsLabelsOfTheChosenSaeEscaped() throws Exception {
		String html = fragment("dragon");
		assertThat(html).startsWith("<div id=\"feature-results\"");
		assertThat(html).contains("data-index=\"17\" data-has-max=\"true\">add #17</button>")
			.contains("dragons guarding &lt;b&gt;castles&lt;/b&gt;")
			.doesNotContain("<b>castles</b>")
			.doesNotContain("add #5");
		// a typo still matches (trigram similarity of the site's label search)
		assertThat(fragment("sleping cats")).contains("add #5").doesNotContain("add #17");
	}

	@Test
	void searchFeaturesFragmentFindsAnIndexWithItsLabel() throws Exception {
		assertThat(fragment("#5")).contains("data-index=\"5\" data-has-max=\"false\">add #5</button>")
			.contains("cats sleeping in the sun")
			.contains("no max activation");
		assertThat(fragment("9")).contains("add #9").contains("(no label)");
		assertThat(fragment("5000")).contains("has features 0 to 1023").doesNotContain("add #");
		assertThat(fragment("zebra quantum")).contains("No feature label of this SAE matches");
	}

	@Test
	void searchFeaturesFragmentOnlySearchesTheChosenSae() throws Exception {
		SteerFixture other = new SteerFixture(this.context);
		try {
			other.label(3, "dragons in the other SAE");
			assertThat(fragment("dragons")).contains("add #17").doesNotContain("add #3");
		}
		finally {
			other.close();
		}
		String none = this.mvc.perform(get("/playground/features").param("target", "no-model/none").param("featureQuery", "x"))
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(none).contains("Choose a model / SAE first.");
	}

	@Test
	void withoutJavaScriptSearchListsMatchesInTheFormAndAddPutsTheFeatureInARow() throws Exception {
		String searched = this.mvc.perform(post("/playground").with(csrf()).param("target", target()).param("prompt", "Hi")
			.param("featureQuery", "dragons").param("findFeatures", "1")).andReturn().getResponse().getContentAsString();
		assertThat(searched).contains("name=\"addFeature\" value=\"17\"").contains("dragons guarding &lt;b&gt;castles");
		assertThat(searched).contains("name=\"prompt\" rows=\"4\" maxlength=\"2000\">Hi</textarea>");

		// "add #17" fills the first empty row with 1 x max activation (fluent); "add #5" (no max) the next, absolute
		String added = this.mvc.perform(post("/playground").with(csrf()).param("target", target()).param("prompt", "Hi")
			.param("featureIndex", "", "").param("featureMode", "clamp", "clamp").param("featureValue", "", "")
			.param("featureUnit", "multiple", "multiple").param("addFeature", "17")).andReturn().getResponse().getContentAsString();
		assertThat(rows(added).get(0)).isEqualTo("17|clamp|1|multiple");
		String twice = this.mvc.perform(post("/playground").with(csrf()).param("target", target()).param("prompt", "Hi")
			.param("featureIndex", "17", "").param("featureMode", "clamp", "clamp").param("featureValue", "5", "")
			.param("featureUnit", "multiple", "multiple").param("addFeature", "5")).andReturn().getResponse().getContentAsString();
		assertThat(rows(twice).subList(0, 2)).containsExactly("17|clamp|5|multiple", "5|clamp||absolute");

		MvcResult bad = this.mvc.perform(post("/playground").with(csrf()).param("target", target()).param("prompt", "Hi")
			.param("addFeature", "99999")).andReturn();
		assertThat(bad.getResponse().getStatus()).isEqualTo(400);
		assertThat(bad.getResponse().getContentAsString()).contains("feature &#39;99999&#39; is not in SAE");
	}

	/** Each feature row as index|mode|value|unit. */
	static List<String> rows(String html) {
		return Pattern.compile("name=\"featureIndex\" type=\"number\" min=\"0\" value=\"([^\"]*)\".*?"
				+ "<option value=\"(clamp|add)\" selected=\"selected\">.*?name=\"featureValue\" type=\"number\" step=\"any\" "
				+ "value=\"([^\"]*)\".*?<option value=\"(multiple|absolute)\" selected=\"selected\">", Pattern.DOTALL)
			.matcher(html)
			.results()
			.map(m -> m.group(1) + "|" + m.group(2) + "|" + m.group(3) + "|" + m.group(4))
			.toList();
	}
}
