package io.sessionreplication.session;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import io.sessionreplication.replication.ReplicationMode;
import io.sessionreplication.testcluster.TestCluster;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.MapSession;
import org.springframework.session.MapSessionRepository;
import org.springframework.session.PrincipalNameIndexResolver;
import org.springframework.session.Session;
import org.springframework.session.web.http.SessionRepositoryFilter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Spring Session's own repository and filter cases (those of its
 * {@code MapSessionRepositoryTests} and {@code SessionRepositoryFilterTests} that a
 * cluster can get wrong), run against Spring Session's {@link MapSessionRepository} as
 * the reference and against the members of each replication mode, with the save on one
 * member and the find on the others: expiry, the principal index,
 * {@link Session#changeSessionId()}, invalidation, and {@link SessionRepositoryFilter}
 * over each member's repository. For the map, every member is the one map. Where this
 * repository differs on purpose, the case says so.
 * <p>
 * Each backend is started once for the class: each case uses sessions and principal names
 * of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SpringSessionContractTests {

	private static final String PRINCIPAL = FindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME;

	private final Map<Backend, Members> started = new EnumMap<>(Backend.class);

	@AfterAll
	void stop() {
		this.started.values().forEach(Members::close);
	}

	@ParameterizedTest
	@EnumSource(Backend.class)
	void savedSessionIsFoundOnEveryMember(Backend backend) {
		List<FindByIndexNameSessionRepository<Session>> members = members(backend);
		Session saved = members.get(0).createSession();
		saved.setAttribute("user", "alice");
		members.get(0).save(saved);

		for (FindByIndexNameSessionRepository<Session> member : members) {
			Session found = member.findById(saved.getId());
			assertThat(found).isNotNull();
			assertThat(found.getId()).isEqualTo(saved.getId());
			assertThat(found.<String>getAttribute("user")).isEqualTo("alice");
			assertThat(millis(found.getCreationTime())).isEqualTo(millis(saved.getCreationTime()));
			assertThat(millis(found.getLastAccessedTime())).isEqualTo(millis(saved.getLastAccessedTime()));
			assertThat(found.getMaxInactiveInterval()).isEqualTo(saved.getMaxInactiveInterval());
			assertThat(found.isExpired()).isFalse();
		}
	}

	@ParameterizedTest
	@EnumSource(Backend.class)
	void idChangedBeforeTheFirstSaveIsTheOnlyIdOnEveryMember(Backend backend) {
		List<FindByIndexNameSessionRepository<Session>> members = members(backend);
		Session session = members.get(0).createSession();
		String originalId = session.getId();

		String changedId = session.changeSessionId();
		members.get(0).save(session);

		for (FindByIndexNameSessionRepository<Session> member : members) {
			assertThat(member.findById(originalId)).isNull();
			assertThat(member.findById(changedId)).isNotNull();
		}
	}

	@ParameterizedTest
	@EnumSource(Backend.class)
	void idChangedOnAnotherMemberReplacesTheOriginalEverywhereAndInTheIndex(Backend backend) {
		List<FindByIndexNameSessionRepository<Session>> members = members(backend);
		String principal = uniquePrincipal();
		Session session = saved(members.get(0), principal, MapSession.DEFAULT_MAX_INACTIVE_INTERVAL);
		String originalId = session.getId();

		Session onSecond = members.get(1).findById(originalId);
		String changedId = onSecond.changeSessionId();
		members.get(1).save(onSecond);

		for (FindByIndexNameSessionRepository<Session> member : members) {
			assertThat(member.findById(originalId)).isNull();
			assertThat(member.findById(changedId).<String>getAttribute(PRINCIPAL)).isEqualTo(principal);
			assertThat(member.findByPrincipalName(principal)).containsOnlyKeys(changedId);
		}
	}

	@ParameterizedTest
	@EnumSource(Backend.class)
	void deletedSessionIsFoundByNoMember(Backend backend) {
		List<FindByIndexNameSessionRepository<Session>> members = members(backend);
		String principal = uniquePrincipal();
		Session session = saved(members.get(0), principal, MapSession.DEFAULT_MAX_INACTIVE_INTERVAL);

		members.get(1).deleteById(session.getId());

		for (FindByIndexNameSessionRepository<Session> member : members) {
			assertThat(member.findById(session.getId())).isNull();
			assertThat(member.findByPrincipalName(principal)).isEmpty();
		}
	}

	/**
	 * Stricter than the map on purpose: a session deleted on one member is not brought
	 * back by the save of a copy that another member read before.
	 */
	@ParameterizedTest
	@EnumSource(Backend.class)
	void deletedSessionIsRevivedByTheSaveOfACopyReadBeforeInTheMapOnly(Backend backend) {
		List<FindByIndexNameSessionRepository<Session>> members = members(backend);
		Session session = members.get(0).createSession();
		members.get(0).save(session);
		Session readBefore = members.get(2).findById(session.getId());

		members.get(1).deleteById(session.getId());
		readBefore.setAttribute("late", "write");
		members.get(2).save(readBefore);

		boolean revived = backend == Backend.MAP;
		for (FindByIndexNameSessionRepository<Session> member : members) {
			assertThat(member.findById(session.getId()) != null).as("revived").isEqualTo(revived);
		}
	}

	/**
	 * Different from the map on purpose: a save never moves the last access back (the
	 * latest access on any member wins), so backdating it does not expire the session;
	 * shortening its timeout does, on every member.
	 */
	@ParameterizedTest
	@EnumSource(Backend.class)
	void backdatedAccessExpiresTheSessionInTheMapOnlyAndAZeroTimeoutEverywhere(Backend backend) {
		List<FindByIndexNameSessionRepository<Session>> members = members(backend);
		Session backdated = members.get(0).createSession();
		members.get(0).save(backdated);
		Session timedOut = members.get(0).createSession();
		members.get(0).save(timedOut);

		Session onSecond = members.get(1).findById(backdated.getId());
		onSecond.setLastAccessedTime(Instant.now().minus(Duration.ofHours(1)));
		members.get(1).save(onSecond);
		Session shortened = members.get(1).findById(timedOut.getId());
		shortened.setMaxInactiveInterval(Duration.ZERO);
		members.get(1).save(shortened);

		boolean backdatingExpires = backend == Backend.MAP;
		for (FindByIndexNameSessionRepository<Session> member : members) {
			assertThat(member.findById(backdated.getId()) == null).as("backdated").isEqualTo(backdatingExpires);
			assertThat(member.findById(timedOut.getId())).as("timed out").isNull();
		}
	}

	/**
	 * Two sessions that time out together, one of them served again on the first member
	 * too soon for the access to travel: past their timeout, the idle one is found,
	 * listed, served and revived by no member; the other is found on every member with
	 * its latest access.
	 */
	@ParameterizedTest
	@EnumSource(Backend.class)
	void sessionPastItsTimeoutIsFoundServedAndRevivedByNoMemberWhileOneUsedSinceLivesOn(Backend backend)
			throws Exception {
		List<FindByIndexNameSessionRepository<Session>> members = members(backend);
		Duration timeout = Duration.ofSeconds(6);
		String principal = uniquePrincipal();
		Session idle = saved(members.get(0), principal, timeout);
		Session used = saved(members.get(0), principal, timeout);
		await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(() -> true);
		Session again = members.get(0).findById(used.getId());
		again.setLastAccessedTime(Instant.now());
		members.get(0).save(again);
		Instant latestAccess = again.getLastAccessedTime();

		Instant idleExpiry = idle.getLastAccessedTime().plus(timeout);
		await().atMost(timeout).until(() -> Instant.now().isAfter(idleExpiry.plusMillis(50)));
		List<FindByIndexNameSessionRepository<Session>> othersFirst = List.of(members.get(1), members.get(2),
				members.get(0));
		Browser withIdleCookie = new Browser(idle.getId());
		withIdleCookie.request(members.get(1), (request) -> {
			assertThat(request.getSession(false)).as("served by the filter").isNull();
			assertThat(request.isRequestedSessionIdValid()).isFalse();
		});
		for (FindByIndexNameSessionRepository<Session> member : othersFirst) {
			assertThat(member.findById(idle.getId())).as("found").isNull();
			Session live = member.findById(used.getId());
			assertThat(live).isNotNull();
			assertThat(millis(live.getLastAccessedTime())).isEqualTo(millis(latestAccess));
			assertThat(member.findByPrincipalName(principal)).containsOnlyKeys(used.getId());
		}
		for (FindByIndexNameSessionRepository<Session> member : othersFirst) {
			withIdleCookie.request(member, (request) -> assertThat(request.getSession(false)).isNull());
		}
		for (FindByIndexNameSessionRepository<Session> member : members) {
			assertThat(member.findById(idle.getId())).as("revived").isNull();
		}
	}

	@ParameterizedTest
	@EnumSource(Backend.class)
	void filterOnEveryMemberServesTheSessionOfTheCookie(Backend backend) throws Exception {
		List<FindByIndexNameSessionRepository<Session>> members = members(backend);
		Browser browser = new Browser();
		long[] created = new long[1];
		browser.request(members.get(0), (request) -> {
			HttpSession session = request.getSession();
			session.setAttribute("counter", 0);
			created[0] = session.getCreationTime();
		});
		String id = browser.sessionId();

		for (int i = 1; i < members.size(); i++) {
			int expected = i - 1;
			await().pollDelay(Duration.ofMillis(20)).atMost(Duration.ofSeconds(1)).until(() -> true);
			browser.request(members.get(i), (request) -> {
				HttpSession session = request.getSession(false);
				assertThat(session).isNotNull();
				assertThat(session.getId()).isEqualTo(id);
				assertThat(session.getCreationTime()).isEqualTo(created[0]);
				assertThat(session.getLastAccessedTime()).isGreaterThan(created[0]);
				assertThat(session.getAttribute("counter")).isEqualTo(expected);
				session.setAttribute("counter", expected + 1);
			});
		}
		assertThat(members.get(0).findById(id).<Integer>getAttribute("counter")).isEqualTo(members.size() - 1);
	}

	@ParameterizedTest
	@EnumSource(Backend.class)
	void filterChangesTheSessionIdOnOneMemberAndTheNewIdIsServedByAnother(Backend backend) throws Exception {
		List<FindByIndexNameSessionRepository<Session>> members = members(backend);
		Browser browser = new Browser();
		browser.request(members.get(0), (request) -> request.getSession().setAttribute("user", "alice"));
		String originalId = browser.sessionId();

		browser.request(members.get(1), (request) -> {
			HttpSession session = request.getSession();
			String changedId = request.changeSessionId();
			assertThat(changedId).isNotEqualTo(originalId);
			assertThat(session.getId()).isEqualTo(changedId);
		});

		String changedId = browser.sessionId();
		assertThat(changedId).isNotEqualTo(originalId);
		for (FindByIndexNameSessionRepository<Session> member : members) {
			assertThat(member.findById(originalId)).isNull();
		}
		browser.request(members.get(2),
				(request) -> assertThat(request.getSession(false).getAttribute("user")).isEqualTo("alice"));
		new Browser(originalId).request(members.get(2), (request) -> assertThat(request.getSession(false)).isNull());
	}

	@ParameterizedTest
	@EnumSource(Backend.class)
	void sessionInvalidatedThroughTheFilterOnOneMemberIsServedByNoOther(Backend backend) throws Exception {
		List<FindByIndexNameSessionRepository<Session>> members = members(backend);
		Browser browser = new Browser();
		browser.request(members.get(0), (request) -> request.getSession().setAttribute("user", "alice"));
		String id = browser.sessionId();

		browser.request(members.get(1), (request) -> request.getSession(false).invalidate());

		for (FindByIndexNameSessionRepository<Session> member : members) {
			new Browser(id).request(member, (request) -> {
				assertThat(request.getSession(false)).isNull();
				assertThat(request.isRequestedSessionIdValid()).isFalse();
			});
			assertThat(member.findById(id)).isNull();
		}
	}

	private List<FindByIndexNameSessionRepository<Session>> members(Backend backend) {
		return this.started.computeIfAbsent(backend, Backend::start).repositories();
	}

	/**
	 * Create a session of a principal with a timeout, and save it, as one request would.
	 */
	private static Session saved(FindByIndexNameSessionRepository<Session> member, String principal, Duration timeout) {
		Session session = member.createSession();
		session.setMaxInactiveInterval(timeout);
		session.setAttribute(PRINCIPAL, principal);
		member.save(session);
		return session;
	}

	private static String uniquePrincipal() {
		return "user-" + UUID.randomUUID();
	}

	/** An instant as the wire carries it, to compare with one that travelled. */
	private static Instant millis(Instant instant) {
		return instant.truncatedTo(ChronoUnit.MILLIS);
	}

	/** What each case runs against. */
	enum Backend {

		/** Spring Session's {@link MapSessionRepository}, one map for every member. */
		MAP {
			@Override
			Members start() {
				MapReference map = new MapReference();
				return new Members(List.of(map, map, map), () -> {
				});
			}
		},

		/** Three members in {@link ReplicationMode#ALL_TO_ALL}. */
		ALL_TO_ALL {
			@Override
			Members start() {
				return Members.of(new TestCluster(ReplicationMode.ALL_TO_ALL));
			}
		},

		/**
		 * Three members in {@link ReplicationMode#PRIMARY_BACKUP} with one backup: one
		 * member of the three owns none of a session.
		 */
		PRIMARY_BACKUP {
			@Override
			Members start() {
				return Members.of(TestCluster.primaryBackup(1));
			}
		};

		abstract Members start();

	}

	/**
	 * The repositories of three members, as Spring Session's callers see them, and what
	 * stops them.
	 */
	record Members(List<FindByIndexNameSessionRepository<Session>> repositories, AutoCloseable stop) {

		@SuppressWarnings("unchecked")
		static Members of(TestCluster cluster) {
			List<FindByIndexNameSessionRepository<Session>> repositories = cluster.start(3)
				.stream()
				.map((member) -> (FindByIndexNameSessionRepository<Session>) (FindByIndexNameSessionRepository<?>) member.repository)
				.toList();
			return new Members(repositories, cluster);
		}

		void close() {
			try {
				this.stop.close();
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		}

	}

	/**
	 * Spring Session's {@link MapSessionRepository} with a principal index as its JDBC
	 * and Redis repositories have one: the sessions with the principal name that have not
	 * expired. It finds them by going through every session, as a reference may.
	 */
	static final class MapReference implements FindByIndexNameSessionRepository<Session> {

		private final Map<String, Session> sessions = new ConcurrentHashMap<>();

		private final MapSessionRepository repository = new MapSessionRepository(this.sessions);

		private final PrincipalNameIndexResolver<Session> principalNames = new PrincipalNameIndexResolver<>();

		@Override
		public Session createSession() {
			return this.repository.createSession();
		}

		@Override
		public void save(Session session) {
			this.repository.save((MapSession) session);
		}

		@Override
		public @Nullable Session findById(String id) {
			return this.repository.findById(id);
		}

		@Override
		public void deleteById(String id) {
			this.repository.deleteById(id);
		}

		@Override
		public Map<String, Session> findByIndexNameAndIndexValue(String indexName, String indexValue) {
			Map<String, Session> found = new LinkedHashMap<>();
			if (PRINCIPAL_NAME_INDEX_NAME.equals(indexName)) {
				for (String id : this.sessions.keySet()) {
					Session session = findById(id);
					if (session != null && indexValue.equals(this.principalNames.resolveIndexValueFor(session))) {
						found.put(id, session);
					}
				}
			}
			return found;
		}

	}

	/**
	 * A client that sends the session cookie of its last response with its next request,
	 * to whichever member it calls, through {@link SessionRepositoryFilter} over that
	 * member's repository.
	 */
	static final class Browser {

		private static final String COOKIE = "SESSION";

		private @Nullable Cookie cookie;

		Browser() {
		}

		/** A client that sends the cookie of a session it did not get from a response. */
		Browser(String sessionId) {
			this.cookie = new Cookie(COOKIE, Base64.getEncoder().encodeToString(sessionId.getBytes()));
		}

		void request(FindByIndexNameSessionRepository<Session> member, Consumer<HttpServletRequest> handler)
				throws ServletException, IOException {
			MockHttpServletRequest request = new MockHttpServletRequest();
			if (this.cookie != null) {
				request.setCookies(this.cookie);
			}
			MockHttpServletResponse response = new MockHttpServletResponse();
			HttpServlet servlet = new HttpServlet() {

				@Override
				protected void service(HttpServletRequest wrapped, HttpServletResponse wrappedResponse) {
					handler.accept(wrapped);
				}

			};
			new MockFilterChain(servlet, new SessionRepositoryFilter<>(member)).doFilter(request, response);
			Cookie set = response.getCookie(COOKIE);
			if (set != null) {
				this.cookie = (set.getMaxAge() == 0) ? null : set;
			}
		}

		String sessionId() {
			assertThat(this.cookie).as("session cookie").isNotNull();
			return new String(Base64.getDecoder().decode(this.cookie.getValue()));
		}

	}

}
