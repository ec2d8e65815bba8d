package dev.lumen.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import dev.lumen.account.Role;
import dev.lumen.audit.AuditEvent;
import dev.lumen.audit.AuditLog;
import dev.lumen.testing.DatabaseTest;
import dev.lumen.testing.ReviewFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.ApplicationContext;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** Feature lists (owner-only changes, audited) and the CSV/JSON exports with permalinks. */
@AutoConfigureMockMvc
class ListAndExportTest extends DatabaseTest {

	@Autowired
	MockMvc mvc;

	@Autowired
	ApplicationContext context;

	@Autowired
	ListService lists;

	@Autowired
	FlagService flags;

	@Autowired
	FeatureResolver features;

	@Autowired
	AuditLog audit;

	@Autowired
	ObjectMapper json;

	ReviewFixture fixture;

	String owner;

	@BeforeEach
	void setUp() {
		this.fixture = new ReviewFixture(this.context, 8);
		this.owner = this.fixture.user(Role.REVIEWER);
	}

	@AfterEach
	void tearDown() {
		this.fixture.close();
	}

	@Test
	void ownerBuildsAListOthersCannotChangeItAndEveryChangeIsAudited() throws Exception {
		MockHttpServletResponse created = this.mvc.perform(post("/lists").param("name", "Deception candidates")
			.param("description", "for the weekly review").with(user(this.fixture.login(this.owner))).with(csrf()))
			.andReturn().getResponse();
		long id = Long.parseLong(created.getRedirectedUrl().replace("/lists/", ""));
		this.mvc.perform(post("/lists/" + id + "/items").param("feature", "/" + this.fixture.mention(3)).param("note", "strong")
			.with(user(this.fixture.login(this.owner))).with(csrf()));
		this.mvc.perform(post("/lists/" + id + "/items").param("feature", "nope/nope/1")
			.with(user(this.fixture.login(this.owner))).with(csrf()));

		String other = this.fixture.user(Role.REVIEWER);
		assertThat(this.mvc.perform(post("/lists/" + id + "/items").param("feature", this.fixture.mention(4))
			.with(user(this.fixture.login(other))).with(csrf())).andReturn().getResponse().getStatus()).isEqualTo(403);

		assertThat(this.lists.items(id)).extracting(i -> i.feature().featureIndex() + ":" + i.note()).containsExactly("3:strong");
		assertThat(this.audit.forEntity("list", id)).extracting(AuditEvent::action).containsExactly("list.create", "list.item.add");

		this.lists.removeItem(this.owner, id, this.fixture.sae.getId(), 3);
		this.lists.delete(this.owner, id);
		AuditEvent deleted = this.audit.forEntity("list", id).get(3);
		assertThat(deleted.action()).isEqualTo("list.delete");
		assertThat(deleted.before()).contains("\"name\": \"Deception candidates\"");
		assertThat(deleted.after()).isNull();
	}

	@Test
	void listExportsCarryPermalinksAndCsvCellsCannotBecomeFormulas() throws Exception {
		FeatureList list = this.lists.create(this.owner, "Export me", "");
		this.fixture.label(2, "=HYPERLINK(\"http://evil\")");
		this.lists.addItem(this.owner, list.getId(), this.fixture.mention(2), "say \"hi\", then\nleave");
		String csv = this.mvc.perform(get("/lists/" + list.getId() + "/export.csv")).andReturn().getResponse().getContentAsString();
		String base = "http://localhost/";
		assertThat(csv).startsWith("\"feature_url\",\"model\",\"sae\",\"feature_index\",\"label\",\"note\",\"added_by\",\"added_at\"\r\n")
			.contains("\"" + base + this.fixture.mention(2) + "\",\"" + this.fixture.model.getName() + "\",\"res\",\"2\","
					+ "\"'=HYPERLINK(\"\"http://evil\"\")\",\"say \"\"hi\"\", then\nleave\",\"" + this.owner + "\"");

		JsonNode body = this.json.readTree(this.mvc.perform(get("/lists/" + list.getId() + "/export.json")).andReturn().getResponse()
			.getContentAsString());
		assertThat(body.get("url").asString()).isEqualTo(base + "lists/" + list.getId());
		assertThat(body.get("features").get(0).get("feature_url").asString()).isEqualTo(base + this.fixture.mention(2));
		assertThat(body.get("features").get(0).get("note").asString()).isEqualTo("say \"hi\", then\nleave");
	}

	@Test
	void exportLinksUseTheConfiguredPublicUrlNeverTheRequestsHost() throws Exception {
		FeatureList list = this.lists.create(this.owner, "hosts", "");
		this.lists.addItem(this.owner, list.getId(), this.fixture.mention(2), "");
		String body = this.mvc.perform(get("/lists/" + list.getId() + "/export.json").header("Host", "evil.example").with(r -> {
			r.setServerName("evil.example");
			return r;
		})).andReturn().getResponse().getContentAsString();
		assertThat(body).doesNotContain("evil.example").contains("\"http://localhost/lists/" + list.getId() + "\"");
	}

	@Test
	void flagExportFollowsTheQueueFiltersAndLinksEachFlagAndFeature() throws Exception {
		Flag bias = this.flags.create(this.owner, this.features.require(this.fixture.sae.getId(), 1),
				new FlagService.NewFlag(FlagCategory.BIAS, Severity.HIGH, "b", null, null));
		this.flags.create(this.owner, this.features.require(this.fixture.sae.getId(), 2),
				new FlagService.NewFlag(FlagCategory.DECEPTION, Severity.LOW, "d", null, null));
		String viewer = this.fixture.user(Role.VIEWER);
		JsonNode rows = this.json.readTree(this.mvc.perform(get("/review/export.json").param("category", "BIAS")
			.param("saeId", "" + this.fixture.sae.getId()).with(user(this.fixture.login(viewer)))).andReturn().getResponse()
			.getContentAsString());
		assertThat(rows).hasSize(1);
		assertThat(rows.get(0).get("flag_url").asString()).isEqualTo("http://localhost/review/flags/" + bias.getId());
		assertThat(rows.get(0).get("feature_url").asString()).isEqualTo("http://localhost/" + this.fixture.mention(1));
		assertThat(rows.get(0).get("state").asString()).isEqualTo("OPEN");
		assertThat(rows.get(0).get("created_by").asString()).isEqualTo(this.owner);

		String csv = this.mvc.perform(get("/review/export.csv").param("saeId", "" + this.fixture.sae.getId())
			.param("state", "all").with(user(this.fixture.login(viewer)))).andReturn().getResponse().getContentAsString();
		assertThat(csv.split("\r\n")).hasSize(3);
		assertThat(csv).contains("\"BIAS\",\"HIGH\",\"OPEN\",\"b\"").contains("\"DECEPTION\",\"LOW\",\"OPEN\",\"d\"");
	}
}
