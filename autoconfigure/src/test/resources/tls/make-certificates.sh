#!/usr/bin/env bash
# Makes the certificates of the TLS tests, valid for 100 years. They are committed, so the
# tests need neither openssl nor keytool; run this again only to change them.
#   cluster-ca            the cluster's own CA
#   member-a (PEM)        a member certificate signed by cluster-ca: member-a.crt, member-a.key
#   member-b (JKS)        another one, in member-b.jks (password "secret", alias "member")
#   cluster-truststore    cluster-ca.crt in a JKS trust store (password "secret")
#   intruder (PEM)        signed by other-ca, a CA the cluster does not trust
set -euo pipefail
cd "$(dirname "$0")"
days=36500
subject() { echo "/O=session-replication tests/CN=$1"; }
extensions=$(mktemp)
trap 'rm -f "$extensions" ./*.csr ./*.srl ./*.p12' EXIT
printf 'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth,clientAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost\n' > "$extensions"

ca() {
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days "$days" \
		-subj "$(subject "$1")" -keyout "$1.key" -out "$1.crt" \
		-addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign 2> /dev/null
}
member() {
	openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "$(subject "$1")" \
		-keyout "$1.key" -out "$1.csr" 2> /dev/null
	openssl x509 -req -in "$1.csr" -CA "$2.crt" -CAkey "$2.key" -CAcreateserial -days "$days" \
		-extfile "$extensions" -out "$1.crt" 2> /dev/null
}

ca cluster-ca
ca other-ca
member member-a cluster-ca
member member-b cluster-ca
member intruder other-ca

openssl pkcs12 -export -in member-b.crt -inkey member-b.key -certfile cluster-ca.crt -name member \
	-passout pass:secret -out member-b.p12
rm -f member-b.jks cluster-truststore.jks
keytool -importkeystore -srckeystore member-b.p12 -srcstoretype PKCS12 -srcstorepass secret \
	-destkeystore member-b.jks -deststoretype JKS -deststorepass secret -noprompt 2> /dev/null
keytool -importcert -file cluster-ca.crt -alias cluster-ca -keystore cluster-truststore.jks \
	-storetype JKS -storepass secret -noprompt 2> /dev/null
# the CAs' keys are not needed by the tests
rm -f cluster-ca.key other-ca.key other-ca.crt member-b.key member-b.crt
