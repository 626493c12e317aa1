/*
 * Copyright 2026 the original author or authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *      https://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

package io.sessionreplication.samples.security;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.Session;
import org.springframework.session.security.SpringSessionBackedSessionRegistry;

/**
 * Form login, with at most one session per user in the whole cluster: Spring Security's
 * concurrent session control asks {@link SpringSessionBackedSessionRegistry} for the
 * user's sessions, which the replicated repository finds on every instance by principal
 * name. When a user logs in again, on any instance, the older session is marked expired,
 * and its next request, on any instance, is turned away.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	@Bean
	SecurityFilterChain securityFilterChain(HttpSecurity http,
			SpringSessionBackedSessionRegistry<? extends Session> sessionRegistry) {
		http.authorizeHttpRequests((requests) -> requests.requestMatchers("/actuator/health/**")
			.permitAll()
			.requestMatchers("/actuator/**")
			.hasRole("ADMIN")
			.anyRequest()
			.authenticated())
			.formLogin(Customizer.withDefaults())
			.sessionManagement((sessions) -> sessions.maximumSessions(1).sessionRegistry(sessionRegistry));
		return http.build();
	}

	@Bean
	<S extends Session> SpringSessionBackedSessionRegistry<S> sessionRegistry(
			FindByIndexNameSessionRepository<S> sessionRepository) {
		return new SpringSessionBackedSessionRegistry<>(sessionRepository);
	}

	/**
	 * Users of the sample. Their passwords are in plain text ({@code {noop}}) so that
	 * anyone can try it: never do this in an application of your own.
	 */
	@Bean
	UserDetailsService users() {
		return new InMemoryUserDetailsManager(
				User.withUsername("alice").password("{noop}alice-password").roles("USER").build(),
				User.withUsername("bob").password("{noop}bob-password").roles("USER").build(),
				User.withUsername("admin").password("{noop}admin-password").roles("USER", "ADMIN").build());
	}

}
